namespace Actors.Runtime.Concurrency;

/// <summary>Releases a gate acquired by <see cref="InterleavingPoints.Lock"/> when disposed.</summary>
internal readonly struct GateScope(object gate) : IDisposable
{
    public void Dispose() => InterleavingPoints.Exit(gate);
}
