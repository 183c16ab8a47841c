namespace Actors.Runtime.Tests.Interleaving;

/// <summary>
/// An int in shared memory under the explorer's store-buffer (x86-TSO) model: a plain store waits in the writing
/// thread's buffer until the explorer flushes it, so a later load by the same thread can complete before other threads
/// see the store. Fenced operations (exchange, compare-exchange) flush the thread's buffer first.
/// </summary>
internal sealed class TsoCell(string name, int initial)
{
    public string Name { get; } = name;

    /// <summary>The value in memory (what a thread without a buffered store to this cell reads).</summary>
    public int Memory { get; set; } = initial;

    public override string ToString() => $"{Name}={Memory}";
}
