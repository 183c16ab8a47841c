using Orleans;

namespace HelloWorld.Grains;

/// <summary>A grain that answers a greeting.</summary>
public interface IHelloGrain : IGrainWithIntegerKey
{
    /// <summary>Answers <paramref name="greeting"/>, naming the grain that answered.</summary>
    ValueTask<string> SayHello(string greeting);
}
