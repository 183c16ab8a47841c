using System.Collections.Concurrent;
using Actors.Cluster.Diagnostics;
using Actors.Cluster.Membership;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.Partitioning;

/// <summary>
/// Failed opens: what each leaves behind (<see cref="PartitionOpenFailure"/>), when the next open may start, and what the
/// calls for the partition are told meanwhile.
/// </summary>
/// <remarks>
/// A transient failure leaves the partition <see cref="LocalPartitionState.None"/> here: while the row still grants it here
/// its calls wait (up to <see cref="ClusterOptions.PartitionWaitTimeout"/>), and the reconcile opens it again once the
/// back-off has passed, or at once when the row grants it here under a later epoch (this silo's replica leads it again).
/// A permanent failure leaves it <see cref="LocalPartitionState.Lost"/> while the row names this silo its owner; when the
/// row names another silo (an in-sync replica took over) it is forgotten, and a later grant here opens it afresh.
/// </remarks>
internal sealed partial class PartitionOwnershipAgent
{
    private readonly ConcurrentDictionary<int, PartitionOpenFailure> _openFailures = new();

    /// <summary>The last failed open of <paramref name="partition"/> here since this silo last opened it, or null.</summary>
    public PartitionOpenFailure? LastOpenFailure(int partition) => _openFailures.TryGetValue(partition, out PartitionOpenFailure? failure) ? failure : null;

    /// <summary>Whether an open of <paramref name="row"/>'s partition under its epoch may start now (no back-off of a failure under that epoch runs).</summary>
    private bool MayOpen(PartitionRecord row)
        => LastOpenFailure(row.Partition) is not { } failure || failure.Epoch != row.Epoch || _time.GetUtcNow() >= failure.RetryAt;

    /// <summary>Records a failed open of <paramref name="row"/>'s partition and leaves it <see cref="LocalPartitionState.None"/> (retried) or <see cref="LocalPartitionState.Lost"/>.</summary>
    private void OpenFailed(PartitionRecord row, Exception cause)
    {
        PartitionOpenFailure failure = RecordOpenFailure(row, $"{cause.GetType().Name}: {cause.Message}", cause);
        if (failure.IsPermanent)
        {
            SetState(row.Partition, LocalPartitionState.Lost, 0);
            LogOpenFailedPermanently(_logger, cause, row.Partition, row.Epoch);
        }
        else
        {
            SetState(row.Partition, LocalPartitionState.None, 0);
            LogOpenFailedRetrying(_logger, cause, row.Partition, row.Epoch, failure.Attempts, failure.RetryAt);
        }
    }

    /// <summary>Records that this silo's replica did not lead <paramref name="row"/>'s epoch (or had not applied its entries) in time: retried like a transient failure.</summary>
    private void OpenDeferred(PartitionRecord row, TimeSpan waited)
    {
        PartitionOpenFailure failure = RecordOpenFailure(row, $"this silo's replica did not lead epoch {row.Epoch} with every entry it holds applied within {waited}", null);
        SetState(row.Partition, LocalPartitionState.None, 0);
        LogNotLeadingYet(_logger, row.Partition, row.Epoch, failure.Attempts, failure.RetryAt);
    }

    private PartitionOpenFailure RecordOpenFailure(PartitionRecord row, string reason, Exception? cause)
    {
        PartitionOpenFailure failure = PartitionOpenFailure.Next(
            LastOpenFailure(row.Partition), row.Partition, row.Epoch, reason, cause, _time.GetUtcNow(), _options.PartitionOpenRetryDelay, _options.PartitionOpenRetryMaxDelay);
        _openFailures[row.Partition] = failure;
        ClusterInstruments.PartitionOpenFailed(failure.IsPermanent);
        return failure;
    }

    private void OpenSucceeded(int partition) => _openFailures.TryRemove(partition, out _);

    /// <summary>How long the reconcile loop may wait for a change: a lease-renew period, or less when a retry falls due sooner.</summary>
    private TimeSpan UntilNextReconcile()
    {
        TimeSpan wait = _options.LeaseRenewPeriod;
        DateTimeOffset now = _time.GetUtcNow();
        foreach (PartitionOpenFailure failure in _openFailures.Values)
        {
            TimeSpan due = failure.RetryAt - now;
            if (!failure.IsPermanent && due > TimeSpan.Zero && due < wait)
            {
                wait = due;
            }
        }

        return wait;
    }

    /// <summary>Why a call for <paramref name="partition"/>, granted here under <paramref name="epoch"/> and not open, waits.</summary>
    private string OpeningReason(int partition, long epoch)
        => LastOpenFailure(partition) is { IsPermanent: false } failure && failure.Epoch == epoch
            ? $"the partition is being opened here; {failure.Describe()}"
            : "the partition is being opened here";

    /// <summary>Why a call for <paramref name="partition"/>, lost here, fails.</summary>
    private string LostReason(int partition)
        => LastOpenFailure(partition) is { IsPermanent: true } failure
            ? $"its owner '{_membership.Name}' cannot serve it: {failure.Describe()}"
            : $"its owner '{_membership.Name}' has lost or cannot read the partition's logs";

    [LoggerMessage(EventId = 4404, Level = LogLevel.Critical, Message = "Partition {Partition}: opening its logs under epoch {Epoch} failed permanently; it is unavailable while this silo owns it")]
    private static partial void LogOpenFailedPermanently(ILogger logger, Exception exception, int partition, long epoch);

    [LoggerMessage(EventId = 4409, Level = LogLevel.Warning, Message = "Partition {Partition}: opening its logs under epoch {Epoch} failed (attempt {Attempts}); calls wait, retrying at {RetryAt:O} or when it is granted here again")]
    private static partial void LogOpenFailedRetrying(ILogger logger, Exception exception, int partition, long epoch, int attempts, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 4408, Level = LogLevel.Information, Message = "Partition {Partition} (epoch {Epoch}) is granted here but this silo's replica does not lead that epoch yet (attempt {Attempts}); retrying at {RetryAt:O} or when it is granted here again")]
    private static partial void LogNotLeadingYet(ILogger logger, int partition, long epoch, int attempts, DateTimeOffset retryAt);
}
