using Actors.Orleans.Demo.Grains.Customers;

namespace Actors.Orleans.ClientDemo.Workload;

/// <summary>What a customer must report: the replay of its acknowledged calls, mirroring <c>CustomerGrain</c>.</summary>
public sealed class CustomerLedger(string id)
{
    /// <summary>The customer id (grain key).</summary>
    public string Id { get; } = id;

    /// <summary>Held while a call on this customer runs.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The display name.</summary>
    public string Name { get; private set; } = "";

    /// <summary>The accounts, in the order added.</summary>
    public List<string> Accounts { get; private set; } = [];

    /// <summary>Activity entries ever recorded.</summary>
    public long ActivityEntries { get; private set; }

    /// <summary>The latest activity entry.</summary>
    public string? LastActivity { get; private set; }

    /// <summary>The call on this customer whose outcome is unknown, or null.</summary>
    public BankCall? InDoubt { get; set; }

    /// <summary>Applies a successful customer call.</summary>
    public void Apply(BankCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        switch (call.Kind)
        {
            case CallKind.Rename:
                Name = call.Text!;
                Record($"renamed to {call.Text}");
                break;
            case CallKind.AddAccount when !Accounts.Contains(call.Other!):
                Accounts.Add(call.Other!);
                Record($"opened account {call.Other}");
                break;
            case CallKind.AddAccount:
                break;
            case CallKind.Audit:
                Record(call.Text!);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(call), call.Kind, "Not a customer call.");
        }
    }

    /// <summary>A copy with <paramref name="call"/> applied.</summary>
    public CustomerLedger With(BankCall call)
    {
        var copy = new CustomerLedger(Id) { Name = Name, Accounts = [.. Accounts], ActivityEntries = ActivityEntries, LastActivity = LastActivity };
        copy.Apply(call);
        return copy;
    }

    /// <summary>Whether <paramref name="summary"/> shows exactly this state.</summary>
    public bool Matches(CustomerSummary summary) =>
        summary.Name == Name && summary.Accounts.SequenceEqual(Accounts) && summary.ActivityEntries == ActivityEntries && summary.LastActivity == LastActivity;

    /// <inheritdoc />
    public override string ToString() => Render(Name, Accounts, ActivityEntries, LastActivity);

    /// <summary>Renders a summary as <see cref="ToString"/> renders a ledger.</summary>
    public static string Render(CustomerSummary summary) =>
        Render(summary.Name, summary.Accounts, summary.ActivityEntries, summary.LastActivity);

    private static string Render(string name, IEnumerable<string> accounts, long entries, string? last) =>
        $"name '{name}', accounts [{string.Join(", ", accounts)}], {entries} activity entries, last '{last}'";

    private void Record(string entry)
    {
        ActivityEntries++;
        LastActivity = entry;
    }
}
