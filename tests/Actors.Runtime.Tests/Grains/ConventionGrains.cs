using Actors.Journaling;

namespace Actors.Runtime.Tests.Grains;

public sealed record Opened(string Owner);

public record Credited(decimal Amount);

public sealed record BonusCredited(decimal Amount, decimal Bonus) : Credited(Amount);

public interface INote
{
    string Text { get; }
}

public sealed record Noted(string Text) : INote;

public interface IFlag
{
}

/// <summary>Fits both Apply(INote) and Apply(IFlag), neither more specific: ambiguous.</summary>
public sealed record FlaggedNote(string Text) : INote, IFlag;

public sealed record Unhandled(int Value);

/// <summary>A state with Apply overloads and no interface, as Orleans' dynamic convention expects.</summary>
public sealed class AccountView
{
    public string Owner { get; set; } = "";

    public decimal Balance { get; set; }

    public List<string> Applied { get; set; } = [];

    public void Apply(Opened e) => (Owner, Applied) = (e.Owner, [.. Applied, "Opened"]);

    public void Apply(Credited e)
    {
        Balance += e.Amount;
        Applied.Add("Credited");
    }

    public void Apply(BonusCredited e)
    {
        Balance += e.Amount + e.Bonus;
        Applied.Add("BonusCredited");
    }

    public void Apply(INote e) => Applied.Add("Note:" + e.Text);

    public void Apply(IFlag e) => Applied.Add("Flag");
}

[GenerateSerializer, Alias("tests.runtime.account-view")]
public sealed record AccountViewSnapshot(string Owner, decimal Balance, string[] Applied, int Version);

public interface IConventionGrain : IGrainWithStringKey
{
    Task<AccountViewSnapshot> Raise(string kind, decimal amount);

    Task<AccountViewSnapshot> Get();

    Task Deactivate();
}

/// <summary>Events typed as object (Orleans' JournaledGrain&lt;TState&gt;), applied by the state's Apply overloads.</summary>
public sealed class ConventionGrain : JournaledGrain<AccountView>, IConventionGrain
{
    public async Task<AccountViewSnapshot> Raise(string kind, decimal amount)
    {
        RaiseEvent(kind switch
        {
            "open" => new Opened("ada"),
            "credit" => new Credited(amount),
            "bonus" => new BonusCredited(amount, 1),
            "note" => new Noted("hello"),
            "flagged" => new FlaggedNote("both"),
            _ => (object)new Unhandled(1),
        });
        await ConfirmEvents();
        return Snapshot();
    }

    public Task<AccountViewSnapshot> Get() => Task.FromResult(Snapshot());

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private AccountViewSnapshot Snapshot() => new(State.Owner, State.Balance, [.. State.Applied], Version);
}
