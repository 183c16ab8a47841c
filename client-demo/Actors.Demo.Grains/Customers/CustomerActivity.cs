namespace Actors.Demo.Grains.Customers;

/// <summary>A customer's audit trail: a second persistent state of the same grain.</summary>
public sealed class CustomerActivity
{
    /// <summary>The most recent audit entries (at most <see cref="MaxEntries"/>).</summary>
    public List<string> Entries { get; set; } = [];

    /// <summary>How many entries were ever recorded.</summary>
    public long TotalEntries { get; set; }

    /// <summary>How many entries are kept.</summary>
    public const int MaxEntries = 50;

    /// <summary>Records an entry, dropping the oldest beyond <see cref="MaxEntries"/>.</summary>
    public void Record(string entry)
    {
        Entries.Add(entry);
        TotalEntries++;
        if (Entries.Count > MaxEntries)
        {
            Entries.RemoveRange(0, Entries.Count - MaxEntries);
        }
    }
}
