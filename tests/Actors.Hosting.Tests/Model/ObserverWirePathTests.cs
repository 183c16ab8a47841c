using System.Reflection;
using Actors.Hosting.Tests.Gateway;
using Actors.Invocation;
using Actors.TestingHost;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Hosting.Tests.Model;

/// <summary>
/// Observer references are the code generator's (no runtime proxy), and a value that cannot cross to or from a client's
/// observer fails naming the observer method and the parameter or result, as grain calls do.
/// </summary>
public sealed class ObserverWirePathTests
{
    [Fact]
    public async Task CreateObjectReference_OnTheClientAndInTheSilo_IsTheGeneratedReference()
    {
        await using TestCluster cluster = await StartAsync();
        IGrainFactory silo = cluster.Primary.Services.GetRequiredService<IGrainFactory>();

        foreach (IParcelObserver reference in new[]
        {
            cluster.Client.CreateObjectReference<IParcelObserver>(new ParcelObserver(false)),
            silo.CreateObjectReference<IParcelObserver>(new ParcelObserver(false)),
        })
        {
            Assert.IsAssignableFrom<GrainReferenceBase>(reference);
            Assert.False(reference is DispatchProxy);
            Assert.StartsWith("ActorsGenerated.Actors_Hosting_Tests.", reference.GetType().FullName, StringComparison.Ordinal);
        }

        Assert.True(GeneratedGrainCode.TryGetInvoker(typeof(IParcelObserver).GetMethod(nameof(IParcelObserver.Drop))!, out _));
    }

    [Fact]
    public async Task ClientObserver_ThroughTheGeneratedReference_AnswersAndTakesOneWayCalls()
    {
        await using TestCluster cluster = await StartAsync();
        var observer = new ParcelObserver(false);
        IParcelObserver reference = cluster.Client.CreateObjectReference<IParcelObserver>(observer);

        Assert.Equal("ok:took parcel", await cluster.Client.GetGrain<IParcelGrain>("p").Send(reference, parcelWithoutCodec: false));
        await cluster.Client.GetGrain<IParcelGrain>("p").Note(reference, "note");

        await Await.UntilAsync(
            () =>
            {
                lock (observer.Notes)
                {
                    return observer.Notes.Contains("note");
                }
            },
            () => "the one-way Drop call to reach the client's observer");
    }

    [Fact]
    public async Task ClientObserver_ArgumentWithoutCodec_TypedErrorNamingTheObserverMethodAndParameter()
    {
        await using TestCluster cluster = await StartAsync();
        IParcelObserver reference = cluster.Client.CreateObjectReference<IParcelObserver>(new ParcelObserver(false));

        string outcome = await cluster.Client.GetGrain<IParcelGrain>("arg").Send(reference, parcelWithoutCodec: true);

        Assert.Equal("CodecNotFoundException|IParcelObserver.Take(parcel)", outcome);
    }

    [Fact]
    public async Task ClientObserver_ResultWithoutCodec_TypedErrorNamingTheObserverMethodResult()
    {
        await using TestCluster cluster = await StartAsync();
        IParcelObserver reference = cluster.Client.CreateObjectReference<IParcelObserver>(new ParcelObserver(true));

        string outcome = await cluster.Client.GetGrain<IParcelGrain>("result").Send(reference, parcelWithoutCodec: false);

        Assert.Equal("CodecNotFoundException|IParcelObserver.Take(result)", outcome);
    }

    [Fact]
    public async Task ClientCallsItsOwnObserver_AnswersTakesOneWayCallsAndNamesAValueWithoutCodec()
    {
        await using TestCluster cluster = await StartAsync();
        var observer = new ParcelObserver(false);
        IParcelObserver reference = cluster.Client.CreateObjectReference<IParcelObserver>(observer);

        Assert.Equal("took parcel", await reference.Take("parcel"));
        reference.Drop("own note");
        await Await.UntilAsync(
            () =>
            {
                lock (observer.Notes)
                {
                    return observer.Notes.Contains("own note");
                }
            },
            () => "the client's one-way call to its own observer to run");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => reference.Take(new UnmarkedParcel { Weight = 1 }));
        Assert.Equal("CodecNotFoundException", error.GetType().Name);
        Assert.Contains("IParcelObserver.Take(parcel)", error.Message, StringComparison.Ordinal);
    }

    private static async Task<TestCluster> StartAsync()
    {
        TestCluster cluster = new TestClusterBuilder().ConfigureSilo(silo => silo.AddGrain<ParcelGrain>()).Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
