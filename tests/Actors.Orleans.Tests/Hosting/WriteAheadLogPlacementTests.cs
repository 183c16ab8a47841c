using Orleans.Concurrency;
using Orleans.Metadata;
using Orleans.Placement;
using Orleans.Runtime;

namespace Actors.Orleans.Tests.Hosting;

/// <summary>[WriteAheadLog] is a grain class's placement: it refuses to share the class with another placement attribute.</summary>
public sealed class WriteAheadLogPlacementTests
{
    [Fact]
    public void PopulateGrainProperties_AttributeAlone_NamesTheStrategy()
    {
        var properties = Populate(typeof(OnlyTheLog));

        Assert.Equal(nameof(WriteAheadLogPlacement), properties[WellKnownGrainTypeProperties.PlacementStrategy]);
    }

    [Theory]
    [InlineData(typeof(LogAndStatelessWorker), nameof(StatelessWorkerAttribute))]
    [InlineData(typeof(DerivedWithItsOwnPlacement), nameof(PreferLocalPlacementAttribute))]
    public void PopulateGrainProperties_AnotherPlacementAttribute_ThrowsNamingBoth(Type grainClass, string other)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Populate(grainClass));

        Assert.Contains(grainClass.Name, error.Message, StringComparison.Ordinal);
        Assert.Contains(other, error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Populate(Type grainClass)
    {
        var properties = new Dictionary<string, string>();
        new WriteAheadLogPlacement().PopulateGrainProperties(null!, grainClass, GrainType.Create("test"), properties);
        return properties;
    }

    // Plain classes (not grains): Orleans never takes them into a silo's manifest.
    [WriteAheadLog]
    private sealed class OnlyTheLog;

    [WriteAheadLog]
    [StatelessWorker]
    private sealed class LogAndStatelessWorker;

    [WriteAheadLog]
    private class BaseOnTheLog;

    [PreferLocalPlacement]
    private sealed class DerivedWithItsOwnPlacement : BaseOnTheLog;
}
