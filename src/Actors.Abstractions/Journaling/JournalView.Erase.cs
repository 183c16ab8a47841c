namespace Actors.Journaling;

/// <content>Erasing confirmed history: the adaptor is called with no confirmation cycle running, and none starts until it returns.</content>
internal sealed partial class JournalView<TState, TEvent>
{
    private Task? _erase;

    /// <summary>
    /// Confirms everything raised so far, then has the store checkpoint the confirmed state and erase the events up to
    /// <paramref name="toVersion"/>. The confirmed state and version do not change.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not 1 &lt;= <paramref name="toVersion"/> &lt;= the confirmed version (after confirming).</exception>
    /// <exception cref="HistoryEraseRejectedException">The store refused; nothing was erased.</exception>
    /// <exception cref="EventRejectedException">The store refused some of the events raised so far (reported once); nothing was erased.</exception>
    /// <exception cref="InvalidOperationException">The journal failed earlier in this activation, or another erase is running.</exception>
    public async Task EraseHistoryAsync(long toVersion)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(toVersion, 1);
        if (_erase is { IsCompleted: false })
        {
            throw new InvalidOperationException($"Grain {GrainId} is already erasing its history; await the running EraseConfirmedEvents first.");
        }

        await ConfirmAsync();

        // One adaptor call at a time: let the cycle that confirmed finish (it may still be writing a checkpoint). Events
        // raised meanwhile (a reentrant grain) are confirmed first as well.
        while (_pending.Count > 0 || _cycle is { IsCompleted: false })
        {
            if (_pending.Count > 0)
            {
                await ConfirmAsync();
            }
            else
            {
                await _cycle!;
            }
        }

        ThrowIfFailed();
        ArgumentOutOfRangeException.ThrowIfGreaterThan(toVersion, _version);
        Task erase = Adaptor.EraseHistoryAsync(_confirmed, _version, toVersion, CancellationToken.None);
        _erase = erase;
        await erase;
    }

    /// <summary>Waits for an erase in flight without throwing (its caller gets the outcome), on the activation's scheduler.</summary>
    private async Task WaitForEraseAsync()
    {
        if (_erase is { IsCompleted: false } erase)
        {
            await erase.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }
    }
}
