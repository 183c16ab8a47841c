using Actors.Hosting;

namespace Actors.TestingHost;

/// <summary>Reads the <see cref="TestSiloContext"/> while configuring a test silo.</summary>
public static class TestSiloContextExtensions
{
    /// <summary>The context of the silo being configured.</summary>
    /// <exception cref="InvalidOperationException">The builder does not belong to a test cluster silo.</exception>
    public static TestSiloContext GetTestSiloContext(this ISiloBuilder siloBuilder)
    {
        ArgumentNullException.ThrowIfNull(siloBuilder);
        string? name = siloBuilder.Configuration[TestSiloContext.SiloNameKey];
        string? directory = siloBuilder.Configuration[TestSiloContext.DataDirectoryKey];
        if (name is null || directory is null)
        {
            throw new InvalidOperationException("This silo builder does not belong to a TestCluster silo.");
        }

        return new TestSiloContext(name, directory);
    }
}
