using Actors.Cluster.Diagnostics;

namespace Actors.Cluster.Membership;

/// <summary>Renewals: the renewal thread, and the follow-up loop that acts on what each renewal reports.</summary>
internal sealed partial class MembershipAgent
{
    /// <summary>
    /// The renewal thread: one renewal every <see cref="ClusterOptions.LeaseRenewPeriod"/> from the start of the previous
    /// one, each handed to the follow-up loop, until the silo stops, leaves or is no longer a member.
    /// </summary>
    private void RenewThread()
    {
        try
        {
            CancellationToken stop = _stop.Token;
            while (!stop.IsCancellationRequested && !IsDeclaredDead && !HasLeft)
            {
                long started = _time.GetTimestamp();
                try
                {
                    _renewals.Writer.TryWrite(Renew());
                }
                catch (Exception ex)
                {
                    ClusterInstruments.LeaseRenewalFailed();
                    LogRenewalFailed(_logger, ex, _name, Lease.Remaining);
                }

                if (!WaitOnThisThread(_options.LeaseRenewPeriod - _time.GetElapsedTime(started), stop))
                {
                    return;
                }
            }
        }
        catch (ObjectDisposedException) when (_stop.IsCancellationRequested)
        {
            // Stopped and disposed while this thread was still in a renewal (see StopAsync).
        }
        finally
        {
            _renewerExited.TrySetResult();
        }
    }

    /// <summary>
    /// One renewal, synchronously on the calling thread. A renewed lease counts from when the renewal was sent; any other
    /// outcome ends the lease here at once (the follow-up tells a leave from a death).
    /// </summary>
    private LeaseRenewal Renew()
    {
        long sentAt = Lease.Now();
        LeaseRenewal renewal = _store.RenewLease(_options.ClusterId, _name, Incarnation, _options.LeaseDuration, _options.LeaseDuration);
        if (renewal.Outcome == LeaseRenewalOutcome.Renewed)
        {
            Lease.Renewed(sentAt);
        }
        else
        {
            Lease.Revoke();
        }

        return renewal;
    }

    /// <summary>
    /// Waits <paramref name="delay"/> on this thread; false when <paramref name="stop"/> fired. With the system clock the
    /// wait is a kernel timeout (no timer callback on the thread pool); with another clock, that clock's timer.
    /// </summary>
    private bool WaitOnThisThread(TimeSpan delay, CancellationToken stop)
    {
        if (delay > TimeSpan.Zero && !stop.IsCancellationRequested)
        {
            if (ReferenceEquals(_time, TimeProvider.System))
            {
                stop.WaitHandle.WaitOne(delay);
            }
            else
            {
                using var elapsed = new ManualResetEventSlim();
                using ITimer timer = _time.CreateTimer(static state => ((ManualResetEventSlim)state!).Set(), elapsed, delay, Timeout.InfiniteTimeSpan);
                WaitHandle.WaitAny([elapsed.WaitHandle, stop.WaitHandle]);
            }
        }

        return !stop.IsCancellationRequested;
    }

    /// <summary>Acts on the latest renewal each time the renewal thread reports one (an older one not yet acted on is dropped).</summary>
    private async Task FollowUpLoopAsync()
    {
        CancellationToken stop = _stop.Token;
        try
        {
            await foreach (LeaseRenewal renewal in _renewals.Reader.ReadAllAsync(stop))
            {
                try
                {
                    await FollowUpAsync(renewal, stop);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    LogFollowUpFailed(_logger, ex, _name);
                }

                if (IsDeclaredDead || HasLeft)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// One round as the renewal thread and the follow-up loop run it, here on the caller: renew this silo's lease (or learn
    /// it is no longer a member), catch up with the table, and declare dead the silos whose lease ended by the store's
    /// clock. Internal so tests can run rounds on a manual clock.
    /// </summary>
    internal async Task RenewOnceAsync(CancellationToken stop) => await FollowUpAsync(Renew(), stop);

    /// <summary>What a renewal asks for: stop when this silo is no longer a member, catch up with the table when its version moved, declare the expired silos dead.</summary>
    private async Task FollowUpAsync(LeaseRenewal renewal, CancellationToken stop)
    {
        if (renewal.Outcome != LeaseRenewalOutcome.Renewed)
        {
            if (Volatile.Read(ref _leaving) != 0 && (await RefreshAsync(stop)).FindSilo(_name) is { Status: SiloStatus.Left } row && row.Incarnation == Incarnation)
            {
                Lease.Revoke();
                Volatile.Write(ref _left, 1);
                return;
            }

            OnNoLongerMember(renewal.Outcome == LeaseRenewalOutcome.DeclaredDead
                ? "the cluster store marks this incarnation dead or left"
                : "the cluster store holds another incarnation of this silo's name, or none");
            return;
        }

        if (Current is not { } current || renewal.TableVersion != current.TableVersion)
        {
            await RefreshAsync(stop);
        }

        foreach (SiloRecord expired in renewal.ExpiredSilos)
        {
            if (string.Equals(expired.Name, _name, StringComparison.Ordinal))
            {
                continue;
            }

            var update = new ClusterUpdate()
                .Write(expired with { Status = SiloStatus.Dead }, expired.Version)
                .RequireLease(expired.Name, expired.Incarnation, mustBeValid: false);
            if (await TryApplyAsync(update, stop))
            {
                ClusterInstruments.DeathDeclared();
                LogDeclaredDead(_logger, expired.Name, expired.Incarnation, renewal.Now - expired.LeaseExpiresAt);
            }
        }
    }
}
