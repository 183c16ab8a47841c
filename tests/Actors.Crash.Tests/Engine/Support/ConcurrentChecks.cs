using System.Runtime.ExceptionServices;

namespace Actors.Crash.Tests.Engine.Support;

/// <summary>
/// Runs the independent checks of a crash sweep side by side. The items (crash images with what each must recover) still
/// come one after another from a single iterator, advanced under a lock, so a seeded sweep generates the same states in
/// the same order whatever the timing; only the checks overlap. Each check has its own simulated disk and engine.
/// </summary>
/// <remarks>
/// Why: a recovery spends much of its time handing work to the engine's threads and waiting for them; one check at a time
/// leaves a core idle, and on a loaded machine every hand-off waits for the scheduler. At most <see cref="Degree"/> items
/// are out of the iterator at once, so a sweep never holds more images than that.
/// </remarks>
internal static class ConcurrentChecks
{
    /// <summary>How many checks run at once: twice the cores, so one that waits for the engine leaves its core to another.</summary>
    public static int Degree { get; } = 2 * Environment.ProcessorCount;

    /// <summary>Runs <paramref name="check"/> on every item of <paramref name="items"/>; the results in the items' order.</summary>
    public static async Task<IReadOnlyList<TResult>> RunAsync<TItem, TResult>(IEnumerable<TItem> items, Func<TItem, Task<TResult>> check)
    {
        using var source = new Source<TItem, TResult>(items);
        var workers = Enumerable.Range(0, Degree).Select(_ => Task.Run(async () =>
        {
            while (source.TryTake(out int index, out var item))
            {
                source.Complete(index, await check(item).ConfigureAwait(false));
            }
        }));
        await Task.WhenAll(workers).ConfigureAwait(false);
        return source.Results;
    }

    /// <summary>
    /// <see cref="RunAsync{TItem, TResult}"/> for checks that block (the entry logs' synchronous API): each worker is a
    /// thread of its own, so the checks never hold the thread pool the engines' completions run on.
    /// </summary>
    public static IReadOnlyList<TResult> Run<TItem, TResult>(IEnumerable<TItem> items, Func<TItem, TResult> check)
    {
        using var source = new Source<TItem, TResult>(items);
        var errors = new List<ExceptionDispatchInfo>();
        var threads = Enumerable.Range(0, Degree).Select(n => new Thread(() =>
        {
            try
            {
                while (source.TryTake(out int index, out var item))
                {
                    source.Complete(index, check(item));
                }
            }
            catch (Exception exception)
            {
                lock (errors)
                {
                    errors.Add(ExceptionDispatchInfo.Capture(exception));
                }
            }
        })
        { IsBackground = true, Name = $"crash check {n}" }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (errors.Count > 0)
        {
            errors[0].Throw();
        }

        return source.Results;
    }

    /// <summary>The shared iterator and the results by item index; a failure of the iterator ends every worker's loop.</summary>
    private sealed class Source<TItem, TResult>(IEnumerable<TItem> items) : IDisposable
    {
        private readonly Lock _lock = new();
        private readonly IEnumerator<TItem> _items = items.GetEnumerator();
        private readonly List<TResult> _results = [];
        private bool _done;

        public IReadOnlyList<TResult> Results
        {
            get
            {
                lock (_lock)
                {
                    return [.. _results];
                }
            }
        }

        public bool TryTake(out int index, out TItem item)
        {
            lock (_lock)
            {
                index = _results.Count;
                item = default!;
                if (_done)
                {
                    return false;
                }

                bool moved = false;
                try
                {
                    moved = _items.MoveNext();
                }
                finally
                {
                    _done = !moved;
                }

                if (_done)
                {
                    return false;
                }

                item = _items.Current;
                _results.Add(default!);
                return true;
            }
        }

        public void Complete(int index, TResult result)
        {
            lock (_lock)
            {
                _results[index] = result;
            }
        }

        public void Dispose() => _items.Dispose();
    }
}
