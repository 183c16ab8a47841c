using System.Runtime.InteropServices;

namespace Actors.Orleans.Benchmarks.Hosting;

/// <summary>
/// Runs the registered cleanups (stop PostgreSQL, delete the run directory) when the run is interrupted by SIGINT or
/// SIGTERM, then exits with 128 + the signal's number, so an interrupted benchmark leaves no server running.
/// </summary>
public sealed class InterruptCleanup : IDisposable
{
    private readonly List<Func<Task>> _cleanups = [];
    private readonly PosixSignalRegistration[] _registrations;
    private int _interrupted;

    public InterruptCleanup()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    /// <summary>Adds a cleanup; on interruption they run newest first.</summary>
    public void Add(Func<Task> cleanup)
    {
        lock (_cleanups)
        {
            _cleanups.Add(cleanup);
        }
    }

    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations)
        {
            registration.Dispose();
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.Exchange(ref _interrupted, 1) != 0)
        {
            return;
        }

        Console.Error.WriteLine($"interrupted ({context.Signal}): cleaning up");
        Func<Task>[] cleanups;
        lock (_cleanups)
        {
            cleanups = [.. Enumerable.Reverse(_cleanups)];
        }

        foreach (Func<Task> cleanup in cleanups)
        {
            try
            {
                cleanup().GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"cleanup after {context.Signal} failed: {e.Message}");
            }
        }

        Environment.Exit(128 + (context.Signal == PosixSignal.SIGINT ? 2 : 15));
    }
}
