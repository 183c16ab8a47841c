namespace Actors.Serialization.Tests;

public interface IFakeGrain
{
}

/// <summary>Stands for the runtime's grain reference class.</summary>
public sealed class FakeReference(string type, string key) : IFakeGrain
{
    public string Type { get; } = type;

    public string Key { get; } = key;
}

[GenerateSerializer]
public sealed class Message
{
    [Id(0)]
    public IFakeGrain? Target { get; set; }

    [Id(1)]
    public object? Untyped { get; set; }

    [Id(2)]
    public CancellationToken Token { get; set; }
}

public sealed class FakeResolver : IGrainReferenceResolver
{
    public bool IsGrainReferenceType(Type type) => typeof(IFakeGrain).IsAssignableFrom(type);

    public GrainReferenceData Describe(object reference) =>
        reference is FakeReference r ? new GrainReferenceData(r.Type, r.Key, "IFakeGrain") : throw new InvalidOperationException();

    public object Resolve(GrainReferenceData data, Type declaredType, object? callContext) =>
        data.Interface == "IFakeGrain" ? new FakeReference(data.GrainType, data.Key) : throw new SerializerException($"unknown interface {data.Interface}");
}

public sealed class FakeBridge : ICancellationTokenBridge
{
    private readonly Dictionary<ulong, CancellationTokenSource> _imported = [];
    private ulong _next;

    public List<object?> Contexts { get; } = [];

    public ulong Export(CancellationToken token, object? callContext)
    {
        Contexts.Add(callContext);
        return ++_next;
    }

    public CancellationToken Import(ulong id, bool alreadyCancelled, object? callContext)
    {
        Contexts.Add(callContext);
        var source = new CancellationTokenSource();
        _imported[id] = source;
        return source.Token;
    }

    public void CancelRemote(ulong id) => _imported[id].Cancel();
}

public class HookTests
{
    [Fact]
    public void GrainReferences_CrossThroughTheResolver_TypedAndUntyped()
    {
        var serializer = new Serializer(new SerializerBuilder().UseGrainReferenceResolver(new FakeResolver()).Build());
        var message = new Message { Target = new FakeReference("counter", "7"), Untyped = new FakeReference("cart", "9") };

        Message copy = serializer.Deserialize<Message>(serializer.SerializeToArray(message));

        var target = Assert.IsType<FakeReference>(copy.Target);
        Assert.Equal(("counter", "7"), (target.Type, target.Key));
        Assert.Equal("cart", Assert.IsType<FakeReference>(copy.Untyped).Type);
    }

    [Fact]
    public void GrainReferences_WithoutResolver_AreATypedError()
    {
        Assert.Throws<CodecNotFoundException>(() => Wire.Serializer.SerializeToArray(new Message { Target = new FakeReference("a", "b") }));
    }

    [Fact]
    public void CancellationToken_CrossesThroughTheBridge_WithTheCallContext()
    {
        var bridge = new FakeBridge();
        var serializer = new Serializer(new SerializerBuilder().UseCancellationTokenBridge(bridge).Build());
        using var source = new CancellationTokenSource();

        byte[] bytes = serializer.SerializeToArray(new Message { Token = source.Token }, callContext: "connection-1");
        Message copy = serializer.Deserialize<Message>(bytes, callContext: "connection-2");

        Assert.True(copy.Token.CanBeCanceled);
        Assert.False(copy.Token.IsCancellationRequested);
        bridge.CancelRemote(1);
        Assert.True(copy.Token.IsCancellationRequested);
        Assert.Equal(["connection-1", "connection-2"], bridge.Contexts);
    }
}
