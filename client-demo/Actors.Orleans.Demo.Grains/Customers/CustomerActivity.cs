namespace Actors.Orleans.Demo.Grains.Customers;

/// <summary>A customer's audit trail, the second of its two persistent states.</summary>
[GenerateSerializer, Alias("bank.customer-activity")]
public sealed class CustomerActivity
{
    /// <summary>How many recent entries are kept.</summary>
    public const int KeptEntries = 32;

    /// <summary>The most recent entries, oldest first (at most <see cref="KeptEntries"/>).</summary>
    [Id(0)]
    public List<string> Recent { get; set; } = [];

    /// <summary>How many entries were ever recorded (the sequence number of the latest).</summary>
    [Id(1)]
    public long Total { get; set; }

    /// <summary>Records an entry.</summary>
    public void Record(string entry)
    {
        Recent.Add(entry);
        Total++;
        if (Recent.Count > KeptEntries)
        {
            Recent.RemoveAt(0);
        }
    }
}
