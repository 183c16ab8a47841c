using Actors.Persistence.Wal;
using Actors.Storage;

namespace Actors.Persistence.Wal.Tests.Grains;

public sealed class Profile
{
    public string Name { get; set; } = "";

    public int Visits { get; set; }

    public string Bio { get; set; } = "";
}

public sealed class AuditTrail
{
    public List<string> Entries { get; set; } = [];
}

[GenerateSerializer, Alias("tests.wal.profile-snapshot")]
public sealed record ProfileSnapshot(string Name, int Visits, string? ProfileETag, bool ProfileExists, int AuditEntries, string? AuditETag, bool AuditExists, Guid ActivationId);

public interface IProfileGrain : IGrainWithStringKey
{
    Task<ProfileSnapshot> Visit(string name);

    Task<ProfileSnapshot> VisitAndAudit(string name, string entry);

    Task<ProfileSnapshot> SetBio(string bio);

    Task<ProfileSnapshot> Clear();

    Task<ProfileSnapshot> Get();
}

[WriteAheadLog]
public sealed class ProfileGrain(
    [PersistentState("profile")] IPersistentState<Profile> profile,
    [PersistentState("audit")] IPersistentState<AuditTrail> audit) : Grain, IProfileGrain
{
    private readonly Guid _activationId = Guid.NewGuid();

    public async Task<ProfileSnapshot> Visit(string name)
    {
        profile.State.Name = name;
        profile.State.Visits++;
        await profile.WriteStateAsync();
        return Snapshot();
    }

    public async Task<ProfileSnapshot> VisitAndAudit(string name, string entry)
    {
        profile.State.Name = name;
        profile.State.Visits++;
        audit.State.Entries.Add(entry);
        await PersistentStates.WriteAllAsync(profile, audit);
        return Snapshot();
    }

    public async Task<ProfileSnapshot> SetBio(string bio)
    {
        string previous = profile.State.Bio;
        profile.State.Bio = bio;
        try
        {
            await profile.WriteStateAsync();
        }
        catch (StateRejectedException)
        {
            profile.State.Bio = previous;
            throw;
        }

        return Snapshot();
    }

    public async Task<ProfileSnapshot> Clear()
    {
        await profile.ClearStateAsync();
        return Snapshot();
    }

    public Task<ProfileSnapshot> Get() => Task.FromResult(Snapshot());

    private ProfileSnapshot Snapshot() => new(
        profile.State.Name, profile.State.Visits, profile.Etag, profile.RecordExists,
        audit.State.Entries.Count, audit.Etag, audit.RecordExists, _activationId);
}
