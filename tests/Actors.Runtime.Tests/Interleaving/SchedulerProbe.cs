namespace Actors.Runtime.Tests.Interleaving;

/// <summary>
/// Queues labelled tasks on a real scheduler from model threads and checks what the scheduler promises: every queued
/// task runs exactly once, tasks queued by one thread run in that order, and no two tasks run at the same time.
/// </summary>
internal sealed class SchedulerProbe(ExplorationRun run, TaskScheduler scheduler)
{
    private readonly List<(string Label, Task Task, string Producer)> _queued = [];
    private readonly List<string> _ran = [];
    private int _running;

    /// <summary>Queues the labelled tasks in order; <paramref name="continuation"/> is queued by the first task while it runs.</summary>
    public void Queue(params string[] labels) => Queue(labels, continuation: null);

    public void Queue(string label, string continuation) => Queue([label], continuation);

    public void CheckAllRanInOrder()
    {
        foreach ((string label, Task task, _) in _queued)
        {
            run.Check(task.IsCompleted, $"task {label} was queued but never ran (status {task.Status})");
            run.Check(_ran.Count(r => r == label) == (task.IsCompleted ? 1 : 0), $"task {label} ran {_ran.Count(r => r == label)} times");
        }

        foreach (IGrouping<string, string> producer in _queued.GroupBy(q => q.Producer, q => q.Label))
        {
            string[] order = [.. _ran.Where(producer.Contains)];
            run.Check(order.SequenceEqual(producer), $"tasks of {producer.Key} ran as {string.Join(",", order)}, queued as {string.Join(",", producer)}");
        }
    }

    private void Queue(string[] labels, string? continuation)
    {
        string producer = ModelThread.Current!.Name;
        foreach (string label in labels)
        {
            string? next = label == labels[0] ? continuation : null;
            var task = new Task(() => Body(label, next));
            _queued.Add((label, task, producer));
            task.Start(scheduler);
        }
    }

    private void Body(string label, string? continuation)
    {
        run.Check(++_running == 1, $"task {label} started while another task of the scheduler was running");
        run.Point($"run {label}");
        _ran.Add(label);
        if (continuation is not null)
        {
            var task = new Task(() => Body(continuation, null));
            _queued.Add((continuation, task, $"continuation of {label}"));
            task.Start(scheduler);
        }

        _running--;
    }
}
