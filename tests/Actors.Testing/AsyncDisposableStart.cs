namespace Actors.Testing;

/// <summary>Starting something that must not outlive a failed start (a TestingHost cluster whose silo refused to start).</summary>
/// <remarks>Generic on purpose: this project references no Orleans assembly (the interface-only client test loads it).</remarks>
public static class AsyncDisposableStart
{
    /// <summary>Runs <paramref name="start"/> on <paramref name="resource"/> and returns it; when the start fails the resource is disposed and the failure rethrown.</summary>
    public static async Task<T> StartAsync<T>(T resource, Func<T, Task> start)
        where T : IAsyncDisposable
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(start);
        try
        {
            await start(resource).ConfigureAwait(false);
        }
        catch
        {
            // Nothing of what failed to start stays running.
            await resource.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return resource;
    }
}
