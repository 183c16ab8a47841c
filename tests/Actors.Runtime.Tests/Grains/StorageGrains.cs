using Actors.Runtime.Tests.Infrastructure;
using Actors.Storage;

namespace Actors.Runtime.Tests.Grains;

public sealed class Profile
{
    public string Name { get; set; } = "";
}

public sealed class Preferences
{
    public string Theme { get; set; } = "light";
}

public interface IProfileGrain : IGrainWithStringKey
{
    Task SetName(string name);

    Task<string> GetName();

    Task<string?> Etag();

    Task<bool> Exists();

    Task SetBoth(string name, string theme);

    Task<string> GetTheme();

    Task Clear();

    Task Reload();

    Task Deactivate();
}

public sealed class ProfileGrain(
    [PersistentState("profile")] IPersistentState<Profile> profile,
    [PersistentState("preferences")] IPersistentState<Preferences> preferences,
    Probe probe) : Grain, IProfileGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.Record($"activate:{GetPrimaryKeyString()}:{profile.State.Name}");
        return Task.CompletedTask;
    }

    public Task SetName(string name)
    {
        profile.State.Name = name;
        return profile.WriteStateAsync();
    }

    public Task<string> GetName() => Task.FromResult(profile.State.Name);

    public Task<string?> Etag() => Task.FromResult(profile.Etag);

    public Task<bool> Exists() => Task.FromResult(profile.RecordExists);

    public Task SetBoth(string name, string theme)
    {
        profile.State.Name = name;
        preferences.State.Theme = theme;
        return PersistentStates.WriteAllAsync(profile, preferences);
    }

    public Task<string> GetTheme() => Task.FromResult(preferences.State.Theme);

    public Task Clear() => profile.ClearStateAsync();

    public Task Reload() => profile.ReadStateAsync();

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

public interface IMisconfiguredGrain : IGrainWithStringKey
{
    Task Touch();
}

public sealed class MisconfiguredGrain([PersistentState("x", "nowhere")] IPersistentState<Profile> state) : Grain, IMisconfiguredGrain
{
    public Task Touch() => state.WriteStateAsync();
}
