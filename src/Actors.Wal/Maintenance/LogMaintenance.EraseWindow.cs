namespace Actors.Wal.Maintenance;

/*
 * Coalescing of the background erase pass. Every erase (and checkpoint deletion) marks its segments and records its
 * erasure scan durably before its copy, exactly as before; what changes is when a pass removes those bytes:
 *   - the first erase opens an erase window: a quiet timer (EraseCompactionQuietPeriod, restarted by every later
 *     erase) and a bound timer (EraseCompactionMaxDelay, started by the first erase only);
 *   - while the window is open, the other passes (after a rotation, a rekey) leave the erasure scans and the marked
 *     segments alone: they would copy forward streams the next erases mark again;
 *   - when either timer fires, the window closes and one erase pass runs: it searches for every pending scan, seals the
 *     active segment if marked, and compacts every segment marked before it started (rounds until none is left);
 *   - CompactAsync and the erase pass an open asks for close the window too: they cover every erase so far.
 * Timers come from the log's TimeProvider, so tests drive them with a manual clock.
 */

internal sealed partial class LogMaintenance
{
    /// <summary>True while the erase window is open or the erase pass is asked for and not started (any thread).</summary>
    public bool ErasePassPending
    {
        get
        {
            lock (_compactions)
            {
                return _eraseWindowOpen || _erasePassRequested;
            }
        }
    }

    /// <summary>
    /// After an erase or checkpoint deletion marked its segments (any thread): with a quiet period, opens or extends the
    /// erase window (the pass runs once no erase came for the quiet period, or the bound after the window opened is
    /// reached); with none, asks for a space pass at once, as every erase did before coalescing.
    /// </summary>
    public void ScheduleErasePass()
    {
        if (_options.EraseCompactionQuietPeriod <= TimeSpan.Zero)
        {
            RequestPass(_committer.AppliedPosition);
            return;
        }

        lock (_compactions)
        {
            if (_stopping)
            {
                return; // the marks and scans are on disk: the next open removes them
            }

            if (!_eraseWindowOpen)
            {
                _eraseWindowOpen = true;
                _eraseBoundTimer ??= CreateEraseTimer();
                _eraseBoundTimer.Change(_options.EraseCompactionMaxDelay, Timeout.InfiniteTimeSpan);
            }

            _eraseQuietTimer ??= CreateEraseTimer();
            _eraseQuietTimer.Change(_options.EraseCompactionQuietPeriod, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Asks for an erase pass now (any thread): at open, when an earlier run left marked segments or pending scans, and
    /// when the erase window elapses. It seals a marked active segment and compacts until no segment marked before it
    /// started remains.
    /// </summary>
    public void RequestErasePass()
    {
        lock (_compactions)
        {
            _erasePassRequested = true;
        }

        RequestPass(_committer.AppliedPosition);
    }

    /// <summary>A stopped timer of the erase window, created without the first eraser's execution context (it lives as long as the log).</summary>
    private ITimer CreateEraseTimer()
    {
        if (ExecutionContext.IsFlowSuppressed())
        {
            return _time.CreateTimer(static s => ((LogMaintenance)s!).OnEraseWindowElapsed(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        using (ExecutionContext.SuppressFlow())
        {
            return _time.CreateTimer(static s => ((LogMaintenance)s!).OnEraseWindowElapsed(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>A timer of the erase window fired: close the window and run the erase pass (a stale firing does nothing).</summary>
    private void OnEraseWindowElapsed()
    {
        lock (_compactions)
        {
            if (!_eraseWindowOpen || _stopping)
            {
                return;
            }
        }

        RequestErasePass();
    }

    /// <summary>
    /// Closes the erase window (caller holds the queue's lock) when a pass that covers every erase so far starts: an erase
    /// pass or a requested compaction. An erase whose marks come later opens a new one.
    /// </summary>
    private void CloseEraseWindow()
    {
        _eraseWindowOpen = false;
        _eraseQuietTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _eraseBoundTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Disposes the erase window's timers (at stop, after the loop ended).</summary>
    private void DisposeEraseTimers()
    {
        _eraseQuietTimer?.Dispose();
        _eraseBoundTimer?.Dispose();
    }
}
