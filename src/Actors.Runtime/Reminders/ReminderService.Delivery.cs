using System.Reflection;
using Actors.Invocation;
using Actors.Runtime;

namespace Actors.Reminders;

/// <content>The timer, tick delivery and the durable record of delivered ticks.</content>
internal sealed partial class ReminderService
{
    private static readonly GrainMethod ReceiveReminderMethod = GrainMethod.For(
        typeof(IRemindable).GetMethod(nameof(IRemindable.ReceiveReminder), BindingFlags.Public | BindingFlags.Instance)!);

    private int _registered;

    /// <summary>The timer is due: start delivering every tick that is due now.</summary>
    private void OnTimer()
    {
        List<(LocalReminder Reminder, int Generation, DateTime Due, DateTime Tick, int Partition)>? due = null;
        try
        {
            lock (_lock)
            {
                if (_stopped)
                {
                    return;
                }

                DateTime now = UtcNow;
                while (_queue.TryPeek(out (LocalReminder Reminder, int Generation) entry, out DateTime at) && at <= now)
                {
                    _queue.Dequeue();
                    LocalReminder reminder = entry.Reminder;
                    if (reminder.Removed || reminder.Generation != entry.Generation || reminder.Delivering || reminder.NextTick != at)
                    {
                        continue;
                    }

                    reminder.Delivering = true;
                    _inFlight++;
                    int partition = _partitioner.GetPartition(reminder.GrainId);
                    _inFlightByPartition[partition] = _inFlightByPartition.GetValueOrDefault(partition) + 1;
                    DateTime tick = ReminderSchedule.LatestAtOrBefore(reminder.StartAt, reminder.Period, at, now);
                    (due ??= []).Add((reminder, reminder.Generation, at, tick, partition));
                }

                ArmLocked();
            }
        }
        catch (Exception ex)
        {
            _runtime.Log.TimerFailed(ex, "reminder timer");
        }

        foreach ((LocalReminder reminder, int generation, DateTime at, DateTime tick, int partition) in due ?? [])
        {
            _ = DeliverAsync(reminder, generation, at, tick, partition);
        }
    }

    /// <summary>Delivers one tick, records it durably unless the silo is stopping, and schedules the next one.</summary>
    private async Task DeliverAsync(LocalReminder reminder, int generation, DateTime due, DateTime tick, int partition)
    {
        DateTime started = UtcNow;
        _runtime.Instruments.ReminderTickStarted(started - due);
        bool record = true;
        try
        {
            var status = new TickStatus(reminder.StartAt, reminder.Period, started);
            await _runtime.Invoker.InvokeAsync(new GrainCallRequest(reminder.GrainId, ReceiveReminderMethod, [reminder.Name, status]));
        }
        catch (Exception ex) when (_stopping.IsCancellationRequested || ex is SiloUnavailableException)
        {
            // Not delivered because the silo is stopping: the unrecorded tick is delivered again after the restart.
            record = false;
        }
        catch (Exception ex)
        {
            _runtime.Instruments.ReminderTickFailed();
            _runtime.Log.ReminderTickFailed(ex, reminder.Name, reminder.GrainId, tick);
        }

        if (record && !_stopping.IsCancellationRequested)
        {
            try
            {
                await _table.RecordTickAsync(reminder.GrainId, reminder.Name, reminder.ETag, tick, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // The tick was delivered but its record is not durable: after a restart it is delivered again (at least once).
                _runtime.Log.ReminderTickNotRecorded(ex, reminder.Name, reminder.GrainId, tick);
            }
        }

        lock (_lock)
        {
            if (--_inFlight == 0 && _stopped)
            {
                _drained?.TrySetResult();
            }

            if (--_inFlightByPartition[partition] == 0)
            {
                _inFlightByPartition.Remove(partition);
                if (_partitionDrained.Remove(partition, out TaskCompletionSource? released))
                {
                    released.TrySetResult();
                }
            }

            if (_stopped || reminder.Removed || reminder.Generation != generation)
            {
                return;
            }

            reminder.Delivering = false;
            reminder.NextTick = ReminderSchedule.Following(tick, reminder.Period);
            _queue.Enqueue((reminder, generation), reminder.NextTick);
            ArmLocked();
        }
    }

    /// <summary>Arms the timer for the earliest live tick (dropping queue entries of older registrations).</summary>
    private void ArmLocked()
    {
        if (_stopped)
        {
            return;
        }

        while (_queue.TryPeek(out (LocalReminder Reminder, int Generation) entry, out DateTime at))
        {
            LocalReminder reminder = entry.Reminder;
            if (reminder.Removed || reminder.Generation != entry.Generation || reminder.NextTick != at)
            {
                _queue.Dequeue();
                continue;
            }

            TimeSpan delay = at - UtcNow;
            _timer.Change(delay < TimeSpan.Zero ? TimeSpan.Zero : Clamp(delay), Timeout.InfiniteTimeSpan);
            return;
        }

        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Timers accept at most 4,294,967,294 ms; a later tick re-arms when this one fires.</summary>
    private static TimeSpan Clamp(TimeSpan delay) => delay > MaxTimerDelay ? MaxTimerDelay : delay;

    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromMilliseconds(0xfffffffe);
}
