using Orleans.TestingHost;

namespace Actors.Orleans.Tests.Support;

/// <summary>
/// A single-silo <see cref="WalTestCluster"/> (<see cref="WalSiloMode.AttributeOnly"/>, its own root) that a test class
/// shares as a class fixture: for its tests that neither stop the silo nor look at more than their own grains (keys no
/// other test of the class uses) and those grains' streams. One silo start for the class instead of one per test.
/// </summary>
/// <remarks>A class's tests run one after another, so the tests that share it never run at the same time.</remarks>
public sealed class SharedWalCluster : IAsyncLifetime
{
    private readonly TempDirectory _root = new();
    private TestCluster? _cluster;

    /// <summary>The running cluster (started by <see cref="InitializeAsync"/>).</summary>
    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("the shared cluster is not started");

    public async Task InitializeAsync() => _cluster = await WalTestCluster.StartAsync(_root.Path, WalSiloMode.AttributeOnly);

    public async Task DisposeAsync()
    {
        try
        {
            if (_cluster is not null)
            {
                await _cluster.DisposeAsync();
            }
        }
        finally
        {
            _root.Dispose();
        }
    }
}
