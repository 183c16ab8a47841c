using System.Globalization;

namespace Actors.Crash.Tests.Process;

/// <summary>What a kill campaign did and found.</summary>
public sealed class KillCampaignResult
{
    /// <summary>Kill cycles completed (SIGKILL, restart and verification).</summary>
    public int Cycles { get; set; }

    /// <summary>Silo process starts (cycles plus one per data directory).</summary>
    public int SiloStarts { get; set; }

    /// <summary>Acknowledged operations verified after restarts.</summary>
    public long AcknowledgedOperationsVerified { get; set; }

    /// <summary>Stored events compared with the acknowledged history.</summary>
    public long EventsChecked { get; set; }

    /// <summary>Operations in flight at a kill found complete after the restart.</summary>
    public long InFlightPresent { get; set; }

    /// <summary>Operations in flight at a kill found absent after the restart.</summary>
    public long InFlightAbsent { get; set; }

    /// <summary>The slowest restart (process start to /health 200).</summary>
    public TimeSpan SlowestRestart { get; set; }

    /// <summary>Every failure (the campaign stops at the first failing cycle).</summary>
    public List<string> Failures { get; } = [];

    /// <summary>True when the time limit ended the campaign before all cycles ran.</summary>
    public bool StoppedByTimeLimit { get; set; }

    /// <summary>Wall-clock time.</summary>
    public TimeSpan Duration { get; set; }

    /// <summary>A multi-line summary.</summary>
    public string Summary(int requestedCycles, int seed) => string.Create(CultureInfo.InvariantCulture, $"""
        kill campaign summary
          cycles requested:                 {requestedCycles}
          kill cycles executed:             {Cycles}{(StoppedByTimeLimit ? " (stopped by the time limit)" : "")}
          silo starts:                      {SiloStarts}
          acknowledged operations verified: {AcknowledgedOperationsVerified}
          stored events compared:           {EventsChecked}
          in-flight at kill: present/absent {InFlightPresent}/{InFlightAbsent} (none partial unless listed below)
          slowest restart to healthy:       {SlowestRestart.TotalSeconds:F1} s
          duration:                         {Duration}
          seed:                             {seed}
          failures:                         {Failures.Count}
        {string.Join(Environment.NewLine, Failures.Select(f => $"  FAILURE: {f}"))}
        """);
}
