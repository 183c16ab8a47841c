namespace Actors.Hosting.Tests.Generics;

/// <summary>Generic methods on a grain interface (Orleans allows them): each instantiation is a call of its own.</summary>
public interface IEchoGrain : IGrainWithStringKey
{
    Task<T> Echo<T>(T value);

    Task<List<T>> Repeat<T>(T value, int times);

    /// <summary>A type argument that appears in no parameter.</summary>
    Task<string> NameOf<T>();

    Task<(TFirst First, TSecond Second)> Pair<TFirst, TSecond>(TFirst first, TSecond second)
        where TSecond : struct;

    /// <summary>A non-generic overload next to the generic one.</summary>
    Task<string> Echo(int value);
}

public sealed class EchoGrain : Grain, IEchoGrain
{
    public Task<T> Echo<T>(T value) => Task.FromResult(value);

    public Task<List<T>> Repeat<T>(T value, int times) => Task.FromResult(Enumerable.Repeat(value, times).ToList());

    public Task<string> NameOf<T>() => Task.FromResult(typeof(T).Name);

    public Task<(TFirst First, TSecond Second)> Pair<TFirst, TSecond>(TFirst first, TSecond second)
        where TSecond : struct
        => Task.FromResult((first, second));

    public Task<string> Echo(int value) => Task.FromResult("int " + value);
}
