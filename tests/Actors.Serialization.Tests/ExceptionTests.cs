using System.Runtime.CompilerServices;

namespace Actors.Serialization.Tests;

[GenerateSerializer, Alias("test.out-of-stock")]
public sealed class OutOfStockException : InvalidOperationException
{
    public OutOfStockException()
    {
    }

    public OutOfStockException(string sku, int wanted)
        : base($"{sku}: {wanted} wanted")
    {
        Sku = sku;
        Wanted = wanted;
    }

    [Id(0)]
    public string? Sku { get; private set; }

    [Id(1)]
    public int Wanted { get; private set; }
}

[GenerateSerializer]
public sealed class Failure
{
    [Id(0)]
    public Exception? Error { get; set; }

    [Id(1)]
    public object? Anything { get; set; }
}

public class ExceptionTests
{
    [Fact]
    public void BuiltInException_KeepsTypeMessageStackInnerDataAndHResult()
    {
        Exception thrown = Thrown(() => throw new InvalidOperationException("outer", new KeyNotFoundException("inner")));
        thrown.Data["order"] = 42;
        thrown.Data["note"] = "n";
        thrown.HResult = 1234;

        Exception copy = Wire.RoundTrip(thrown);

        Assert.IsType<InvalidOperationException>(copy);
        Assert.Equal("outer", copy.Message);
        Assert.IsType<KeyNotFoundException>(copy.InnerException);
        Assert.Equal("inner", copy.InnerException!.Message);
        Assert.Equal(42, copy.Data["order"]);
        Assert.Equal("n", copy.Data["note"]);
        Assert.Equal(1234, copy.HResult);
        Assert.Contains(nameof(Thrown), copy.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void ArgumentException_KeepsItsParameterName()
    {
        var copy = (ArgumentNullException)Wire.RoundTrip<Exception>(new ArgumentNullException("orderId"));

        Assert.Equal("orderId", copy.ParamName);
        Assert.Equal(new ArgumentNullException("orderId").Message, copy.Message);
    }

    [Fact]
    public void AggregateException_KeepsEveryInnerException()
    {
        var aggregate = new AggregateException("many", new TimeoutException("t"), new FormatException("f"));

        var copy = (AggregateException)Wire.RoundTrip<Exception>(aggregate);

        Assert.Equal([typeof(TimeoutException), typeof(FormatException)], copy.InnerExceptions.Select(e => e.GetType()));
        Assert.Equal(aggregate.Message, copy.Message);
    }

    [Fact]
    public void GeneratedException_KeepsItsOwnMembers()
    {
        Exception thrown = Thrown(() => throw new OutOfStockException("sku-9", 3));

        var copy = Assert.IsType<OutOfStockException>(Wire.RoundTrip(thrown));

        Assert.Equal(("sku-9", 3), (copy.Sku, copy.Wanted));
        Assert.Equal("sku-9: 3 wanted", copy.Message);
        Assert.Contains(nameof(Thrown), copy.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void ExceptionsInMembersAndObjectSlots_RoundTrip()
    {
        var failure = new Failure { Error = new OutOfStockException("a", 1), Anything = new TimeoutException("late") };

        Failure copy = Wire.RoundTrip(failure);

        Assert.Equal("a", Assert.IsType<OutOfStockException>(copy.Error).Sku);
        Assert.Equal("late", Assert.IsType<TimeoutException>(copy.Anything).Message);
    }

    [Fact]
    public void UnknownExceptionType_BecomesATypedFallbackWithEverything()
    {
        Exception thrown = Thrown(() => throw new OutOfStockException("sku", 1));
        byte[] bytes = Wire.Serializer.SerializeToArray(new Failure { Error = thrown });
        var reader = new Serializer(new SerializerBuilder { TypeFilter = type => type != typeof(OutOfStockException) }.Build());

        var fallback = Assert.IsType<UnavailableExceptionFallbackException>(reader.Deserialize<Failure>(bytes).Error);

        Assert.Equal("test.out-of-stock", fallback.ExceptionType);
        Assert.Equal("sku: 1 wanted", fallback.Message);
        Assert.Contains(nameof(Thrown), fallback.StackTrace, StringComparison.Ordinal);
        Assert.Contains("test.out-of-stock", fallback.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownException_WhereASpecificTypeIsDeclared_IsATypedError()
    {
        byte[] bytes = Wire.Serializer.SerializeToArray<InvalidOperationException>(new OutOfStockException("s", 1));
        var reader = new Serializer(new SerializerBuilder { TypeFilter = type => type != typeof(OutOfStockException) }.Build());

        var error = Assert.Throws<UnknownTypeException>(() => reader.Deserialize<InvalidOperationException>(bytes));

        Assert.Equal("test.out-of-stock", error.TypeName);
    }

    [Fact]
    public void Exceptions_AreSharedByCopies()
    {
        var error = new InvalidOperationException("x");

        Assert.Same(error, Wire.Copier.Copy<Exception>(error));
    }

    [Fact]
    public void SerializerErrors_KeepTheirTypedProperties()
    {
        var codec = (CodecNotFoundException)Wire.RoundTrip<Exception>(new CodecNotFoundException(typeof(Failure), "copier"));
        var unknown = (UnknownTypeException)Wire.RoundTrip<Exception>(new UnknownTypeException("test.gone", "not here"));
        var wire = (WireFormatException)Wire.RoundTrip<Exception>(new WireFormatException("truncated", 17));
        var reference = (ReferenceNotFoundException)Wire.RoundTrip<Exception>(new ReferenceNotFoundException(4, typeof(string), 9));
        var depth = (MaxDepthExceededException)Wire.RoundTrip<Exception>(new MaxDepthExceededException(12));
        var fallback = (UnavailableExceptionFallbackException)Wire.RoundTrip<Exception>(new UnavailableExceptionFallbackException("Some.GoneException", "gone", null));

        Assert.Equal(typeof(Failure), codec.Type);
        Assert.Contains("copier", codec.Message, StringComparison.Ordinal);
        Assert.Equal("test.gone", unknown.TypeName);
        Assert.Equal(17, wire.Offset);
        Assert.Equal((4u, 9L), (reference.ObjectId, reference.Offset));
        Assert.Equal(12, depth.MaxDepth);
        Assert.Equal(("Some.GoneException", "gone"), (fallback.ExceptionType, fallback.Message));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Exception Thrown(Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            return ex;
        }

        throw new InvalidOperationException("the action did not throw");
    }
}
