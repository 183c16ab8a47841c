using Actors.Hosting;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;
using Actors.Storage;

namespace Actors.Runtime.Tests;

/// <summary>Apply by convention (JournaledGrain&lt;TState&gt;) and Grain&lt;TState&gt; through the configured stores.</summary>
public sealed class ConventionAndStateTests
{
    private static TestSilo Start(Action<ISiloBuilder> configure) => TestSilo.Start(s =>
    {
        s.AddGrain<ConventionGrain>().AddGrain<TallyGrain>();
        configure(s);
    });

    private static Task WaitDeactivatedAsync(TestSilo silo, GrainId grainId) =>
        Probe.WaitUntilAsync(() => !silo.Runtime.Catalog.TryGet(grainId, out _), $"grain {grainId} to deactivate");

    [Fact]
    public async Task TransitionState_Default_CallsTheMostSpecificApplyOverloadAndReplaysTheSame()
    {
        await using TestSilo silo = Start(s => s.AddMemoryJournalStorage());
        IConventionGrain grain = silo.Factory.GetGrain<IConventionGrain>("c");
        await grain.Raise("open", 0);
        await grain.Raise("credit", 10);
        await grain.Raise("bonus", 5);
        AccountViewSnapshot before = await grain.Raise("note", 0);

        await grain.Deactivate();
        await WaitDeactivatedAsync(silo, grain.GetGrainId());
        AccountViewSnapshot after = await grain.Get();

        Assert.Equal(("ada", 16m, 4), (before.Owner, before.Balance, before.Version));
        Assert.Equal(["Opened", "Credited", "BonusCredited", "Note:hello"], before.Applied);
        Assert.Equal((before.Owner, before.Balance, before.Version), (after.Owner, after.Balance, after.Version));
        Assert.Equal(before.Applied, after.Applied);
    }

    [Fact]
    public async Task TransitionState_NoApplyFitsTheEvent_RaiseFailsNamingStateEventAndFixNothingStored()
    {
        await using TestSilo silo = Start(s => s.AddMemoryJournalStorage());
        IConventionGrain grain = silo.Factory.GetGrain<IConventionGrain>("u");
        await grain.Raise("credit", 1);

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => grain.Raise("unhandled", 0));

        Assert.Contains(typeof(AccountView).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains("Apply(Unhandled", error.Message, StringComparison.Ordinal);
        Assert.Contains("override TransitionState", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await grain.Get()).Version);
    }

    [Fact]
    public async Task TransitionState_TwoApplyOverloadsEquallySpecific_RaiseFailsAsAmbiguous()
    {
        await using TestSilo silo = Start(s => s.AddMemoryJournalStorage());

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => silo.Factory.GetGrain<IConventionGrain>("a").Raise("flagged", 0));

        Assert.Contains("Apply(INote)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Apply(IFlag)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GrainOfState_WriteStateAsync_StateSurvivesDeactivationInTheDefaultStore()
    {
        await using TestSilo silo = Start(s => s.AddMemoryGrainStorageAsDefault());
        ITallyGrain grain = silo.Factory.GetGrain<ITallyGrain>("t");
        await grain.Increment();
        await grain.Increment();
        await grain.IncrementWithoutWriting();

        await grain.Deactivate();
        await WaitDeactivatedAsync(silo, grain.GetGrainId());

        Assert.Equal(2, await grain.Get());
    }

    [Fact]
    public async Task GrainOfState_ReadAndClear_ReplaceTheStateFromTheStore()
    {
        await using TestSilo silo = Start(s => s.AddMemoryGrainStorageAsDefault());
        ITallyGrain grain = silo.Factory.GetGrain<ITallyGrain>("rc");
        await grain.Increment();
        await grain.IncrementWithoutWriting();

        await grain.Reload();
        Assert.Equal(1, await grain.Get());
        await grain.Clear();
        Assert.Equal(0, await grain.Get());
        await grain.Deactivate();
        await WaitDeactivatedAsync(silo, grain.GetGrainId());

        Assert.Equal(0, await grain.Get());
    }

    [Fact]
    public async Task GrainOfState_StorageProviderAttribute_UsesTheNamedStore()
    {
        await using TestSilo silo = Start(s => s.AddGrain<NamedTallyGrain>().AddMemoryGrainStorage("tallies"));

        Assert.Equal(1, await silo.Factory.GetGrain<INamedTallyGrain>("n").Increment());
        await Assert.ThrowsAsync<GrainStoreNotConfiguredException>(() => silo.Factory.GetGrain<ITallyGrain>("default").Increment());
    }

    [Fact]
    public async Task GrainOfState_NoDefaultStore_ActivationFailsNamingGrainClassAndHowToConfigure()
    {
        await using TestSilo silo = Start(s => s.AddMemoryGrainStorage("tallies"));

        var error = await Assert.ThrowsAsync<GrainStoreNotConfiguredException>(() => silo.Factory.GetGrain<ITallyGrain>("t").Get());

        Assert.Equal((typeof(TallyGrain), StorageNames.Default), (error.GrainClass, error.StoreName));
        Assert.Contains(typeof(TallyGrain).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains("Grain<TState> state", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddWriteAheadLogAsDefault", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_GrainOfStateNamesUnconfiguredStore_FailsNamingGrainAndStore()
    {
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => TestSilo.Start(s => s.AddGrain<NamedTallyGrain>().AddMemoryGrainStorageAsDefault()));

        Assert.Contains(typeof(NamedTallyGrain).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains("[StorageProvider(ProviderName = \"tallies\")]", error.Message, StringComparison.Ordinal);
    }
}
