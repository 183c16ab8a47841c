using Actors.Runtime;
using Actors.Cluster;
using Actors.Placement;

namespace Actors.Cluster.Tests.Grains;

[GenerateSerializer, Alias("tests.cluster.shape")]
public abstract record Shape
{
    [Id(0)]
    public string Label { get; init; } = "";
}

[GenerateSerializer, Alias("tests.cluster.circle")]
public sealed record Circle(double Radius) : Shape;

[GenerateSerializer, Alias("tests.cluster.square")]
public sealed record Square(double Side) : Shape;

/// <summary>A value whose field is declared by its abstract type: the concrete type must survive the wire.</summary>
[GenerateSerializer, Alias("tests.cluster.drawing")]
public sealed record Drawing(string Title, Shape Main, List<Shape> Others);

[GenerateSerializer, Alias("tests.cluster.refused")]
public sealed class DrawingRefusedException : Exception
{
    public DrawingRefusedException(string message, int code)
        : base(message)
    {
        Code = code;
    }

    [Id(0)]
    public int Code { get; private set; }
}

public interface IWireCrossingGrain : IGrainWithStringKey
{
    Task<string> Where();

    Task<(int Count, string Label, Shape? Largest)> Summarize(Drawing drawing);

    Task<Drawing> Echo(Drawing drawing);

    Task Refuse(string message, int code);

    Task<string?> ReadContext(string key);

    Task<bool> WaitForCancellation(CancellationToken cancellationToken);
}

/// <summary>Hash-placed, so a test knows its silo and can call it from another one.</summary>
[HashBasedPlacement]
public sealed class WireCrossingGrain : Grain, IWireCrossingGrain
{
    public Task<string> Where() => Task.FromResult(ServiceProvider.GetRequiredService<IClusterView>().SiloName);

    public Task<(int Count, string Label, Shape? Largest)> Summarize(Drawing drawing)
    {
        List<Shape> all = [drawing.Main, .. drawing.Others];
        Shape? largest = all.OrderByDescending(Area).FirstOrDefault();
        return Task.FromResult((all.Count, drawing.Title, largest));
    }

    public Task<Drawing> Echo(Drawing drawing) => Task.FromResult(drawing);

    public Task Refuse(string message, int code) => throw new DrawingRefusedException(message, code);

    public Task<string?> ReadContext(string key) => Task.FromResult(RequestContext.Get(key) as string);

    public async Task<bool> WaitForCancellation(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    private static double Area(Shape shape) => shape switch
    {
        Circle c => Math.PI * c.Radius * c.Radius,
        Square s => s.Side * s.Side,
        _ => 0,
    };
}
