using Actors.Demo.Grains.Customers;

namespace Actors.ClientDemo.Workload;

/// <summary>What a customer grain must report: the replay of the acknowledged customer operations (mirrors CustomerGrain).</summary>
public sealed class CustomerModel
{
    /// <summary>The customer id.</summary>
    public required string Id { get; init; }

    /// <summary>The display name.</summary>
    public string Name { get; private set; } = "";

    /// <summary>The accounts, in the order they were added.</summary>
    public List<string> Accounts { get; private set; } = [];

    /// <summary>Audit entries ever recorded.</summary>
    public long AuditEntries { get; private set; }

    /// <summary>The latest audit entry.</summary>
    public string? LastAuditEntry { get; private set; }

    /// <summary>A copy.</summary>
    public CustomerModel Clone() => new()
    {
        Id = Id,
        Name = Name,
        Accounts = [.. Accounts],
        AuditEntries = AuditEntries,
        LastAuditEntry = LastAuditEntry,
    };

    /// <summary>Applies a successful customer operation.</summary>
    public void Apply(BankOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        switch (operation.Kind)
        {
            case OperationKind.Rename:
                Name = operation.Text!;
                Record($"renamed to {operation.Text}");
                break;
            case OperationKind.AddAccount:
                if (!Accounts.Contains(operation.Target!))
                {
                    Accounts.Add(operation.Target!);
                    Record($"opened account {operation.Target}");
                }

                break;
            case OperationKind.Audit:
                Record(operation.Text!);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation.Kind, "Not a customer operation.");
        }
    }

    /// <summary>True when <paramref name="summary"/> shows exactly this state.</summary>
    public bool Matches(CustomerSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return summary.Name == Name
            && summary.Accounts.SequenceEqual(Accounts)
            && summary.AuditEntries == AuditEntries
            && summary.LastAuditEntry == LastAuditEntry;
    }

    /// <inheritdoc />
    public override string ToString() => $"name '{Name}', accounts [{string.Join(", ", Accounts)}], {AuditEntries} audit entries, last '{LastAuditEntry}'";

    /// <summary>Renders a summary like <see cref="ToString"/>.</summary>
    public static string Describe(CustomerSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return $"name '{summary.Name}', accounts [{string.Join(", ", summary.Accounts)}], {summary.AuditEntries} audit entries, last '{summary.LastAuditEntry}'";
    }

    private void Record(string entry)
    {
        AuditEntries++;
        LastAuditEntry = entry;
    }
}
