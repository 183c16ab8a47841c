using Actors.Invocation;
using Actors.TestingHost;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Hosting.Tests.Generics;

/// <summary>
/// Generic grain interfaces and generic grain classes, as Orleans has them: generated references, closed on demand in
/// the silo and through the gateway, each closed type a grain type of its own.
/// </summary>
public sealed class GenericGrainTests
{
    [Fact]
    public async Task GenericGrain_TwoClosedTypesOneKey_AreDistinctActivationsInSiloAndOverTheGateway()
    {
        await using TestCluster cluster = await StartAsync();
        IGrainFactory local = cluster.Primary.Services.GetRequiredService<IGrainFactory>();

        foreach ((string name, IGrainFactory factory) in new[] { ("silo", local), ("gateway", cluster.Client) })
        {
            ICellGrain<int> ints = factory.GetGrain<ICellGrain<int>>("k-" + name);
            ICellGrain<string> strings = factory.GetGrain<ICellGrain<string>>("k-" + name);
            Assert.IsAssignableFrom<GrainReferenceBase>(ints);

            await ints.Set(5);
            await strings.Set("five");

            Assert.Equal(5, await ints.Get());
            Assert.Equal("five", await strings.Get());
            Assert.Equal("CellGrain`1[Int32] cell`1[[System.Int32]]/k-" + name, await ints.Describe());
            Assert.Equal("CellGrain`1[String] cell`1[[System.String]]/k-" + name, await strings.Describe());
        }

        // The silo's reference and the client's name the same activation.
        Assert.Equal(5, await cluster.Client.GetGrain<ICellGrain<int>>("k-silo").Get());
    }

    [Fact]
    public async Task GenericGrain_NestedTypeArgument_RoundTripsOverTheGateway()
    {
        await using TestCluster cluster = await StartAsync();
        ICellGrain<List<Guid>?> cell = cluster.Client.GetGrain<ICellGrain<List<Guid>?>>("nested");
        Guid id = Guid.NewGuid();

        await cell.Set([id]);

        Assert.Equal([id], await cell.Get());
        Assert.Equal("CellGrain`1[List`1] cell`1[[System.Collections.Generic.List<System.Guid>]]/nested", await cell.Describe());
    }

    [Fact]
    public async Task GenericGrain_SwappedTypeParametersAndConstraint_ResolvesTheClassOverTheGateway()
    {
        await using TestCluster cluster = await StartAsync();
        IIndexGrain<string, int> index = cluster.Client.GetGrain<IIndexGrain<string, int>>(7);

        await index.Put("a", 1);
        await index.Put("b", 2);

        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }, await index.All());
        Assert.Empty(await cluster.Client.GetGrain<IIndexGrain<int, string>>(7).All());
    }

    [Fact]
    public async Task GenericGrain_BaseGenericInterface_ReachesTheSameActivationThroughEitherInterface()
    {
        await using TestCluster cluster = await StartAsync();
        ILogGrain<decimal> log = cluster.Client.GetGrain<ILogGrain<decimal>>("l");

        await log.Append(1.5m);
        await log.Append(2m);

        Assert.Equal([1.5m, 2m], await log.Read());
        Assert.Equal([1.5m, 2m], await cluster.Client.GetGrain<IReaderGrain<decimal>>("l").Read());
    }

    [Fact]
    public async Task ClosedGenericInterface_OnANonGenericClass_IsServedInSiloAndOverTheGateway()
    {
        await using TestCluster cluster = await StartAsync();

        Assert.Equal(42, await cluster.Client.GetGrain<IBoxGrain<int>>("b").Get());
        Assert.Equal(42, await cluster.Primary.Services.GetRequiredService<IGrainFactory>().GetGrain<IBoxGrain<int>>("b").Get());
    }

    [Fact]
    public async Task GenericGrain_ClosedTypeNoClassImplements_FailsNamingTheInterface()
    {
        await using TestCluster cluster = await StartAsync();

        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => cluster.Client.GetGrain<IBoxGrain<string>>("b").Get());

        Assert.Contains("IBoxGrain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GrainTypeNames_GenericClassAndInterface_CarryArityAndStableTypeArguments()
    {
        Assert.Equal("cell`1", GrainTypeNames.ForClass(typeof(CellGrain<>)));
        Assert.Equal("cell`1[[System.Int32]]", GrainTypeNames.ForClass(typeof(CellGrain<int>)));
        Assert.Equal("cell`1[[System.Int32]]", GrainTypeNames.ForInterface(typeof(ICellGrain<int>)));
        Assert.Equal("index`2[[System.String],[System.Int32[]]]", GrainTypeNames.ForInterface(typeof(IIndexGrain<string, int[]>)));
        Assert.True(GrainTypeNames.TrySplitGenericArguments("index`2[[System.String],[System.Collections.Generic.List<System.Int32[]>]]", out string generic, out string[] arguments));
        Assert.Equal("index`2", generic);
        Assert.Equal(["System.String", "System.Collections.Generic.List<System.Int32[]>"], arguments);
        Assert.True(StableNames.TryResolveType(arguments[1], out Type? resolved));
        Assert.Equal(typeof(List<int[]>), resolved);
    }

    [Theory]
    [InlineData(typeof(int))]
    [InlineData(typeof(int[,]))]
    [InlineData(typeof(List<int[]>[]))]
    [InlineData(typeof(Dictionary<string, List<Guid?>>))]
    [InlineData(typeof(KeyValuePair<int, string>[][]))]
    public void StableNames_ForTypeThenResolve_SameType(Type type)
    {
        string name = StableNames.ForType(type);

        Assert.True(StableNames.TryResolveType(name, out Type? resolved), name);
        Assert.Equal(type, resolved);
    }

    [Theory]
    [InlineData("No.Such.Type")]
    [InlineData("System.Collections.Generic.List<System.Int32")]
    [InlineData("System.Collections.Generic.List<System.Int32,System.Int32>")]
    [InlineData("System.Int32[")]
    [InlineData("System.Int32<System.Int32>")]
    public void StableNames_UnknownOrMalformedName_NotResolved(string name)
        => Assert.False(StableNames.TryResolveType(name, out _));

    private static async Task<TestCluster> StartAsync()
    {
        TestCluster cluster = new TestClusterBuilder().ConfigureSilo(silo => silo
            .AddGrain(typeof(CellGrain<>))
            .AddGrain(typeof(SwappedIndexGrain<,>))
            .AddGrain(typeof(LogGrain<>))
            .AddGrain<IntBoxGrain>()).Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
