using System.Globalization;

namespace Actors.Crash.Tests.Process;

/// <summary>
/// The shape of a kill campaign. CI uses the defaults (short); scripts/kill-campaign.sh sets <c>ACTORS_KILL_CYCLES</c>
/// (and optionally <c>ACTORS_KILL_SEED</c>, <c>ACTORS_KILL_MAX_MINUTES</c>, <c>ACTORS_KILL_SUMMARY</c>) for the long run.
/// </summary>
public sealed class KillCampaignSettings
{
    /// <summary>Kill cycles (each: load, SIGKILL, restart, verify). CI default 20.</summary>
    public int Cycles { get; init; } = 20;

    /// <summary>The seed of every random choice (kill moments, operations).</summary>
    public int Seed { get; init; } = 20261121;

    /// <summary>Bank accounts (journaled grains).</summary>
    public int Accounts { get; init; } = 100;

    /// <summary>Customers (persistent-state grains).</summary>
    public int Customers { get; init; } = 30;

    /// <summary>Concurrent callers.</summary>
    public int Workers { get; init; } = 8;

    /// <summary>The kill comes after a random number of further acknowledged operations, from 1 up to this.</summary>
    public int MaxOperationsBeforeKill { get; init; } = 150;

    /// <summary>After this many cycles the campaign starts over on a fresh data directory (bounds verification work and disk use).</summary>
    public int CyclesPerDirectory { get; init; } = 100;

    /// <summary>No new cycle starts after this much time (the summary says so); null for no limit.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>A file that receives one progress line per cycle and the summary, or null.</summary>
    public string? SummaryFile { get; init; }

    /// <summary>The defaults, overridden by the <c>ACTORS_KILL_*</c> environment variables.</summary>
    public static KillCampaignSettings FromEnvironment() => new()
    {
        Cycles = Read("ACTORS_KILL_CYCLES") ?? 20,
        Seed = Read("ACTORS_KILL_SEED") ?? 20261121,
        TimeLimit = Read("ACTORS_KILL_MAX_MINUTES") is { } minutes ? TimeSpan.FromMinutes(minutes) : null,
        SummaryFile = Environment.GetEnvironmentVariable("ACTORS_KILL_SUMMARY") is { Length: > 0 } file ? file : null,
    };

    private static int? Read(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0 ? value : null;
}
