using Actors.Runtime;
using Actors.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Journaling;

/// <content>Confirmation, failure handling and adaptor creation.</content>
public abstract partial class JournaledGrain<TState, TEvent>
{
    private async Task ConfirmLockedAsync()
    {
        ThrowIfFailed();
        if (_unconfirmed.Count == 0)
        {
            return;
        }

        TEvent[] events = [.. _unconfirmed];
        PreparedEvents[] batches = [.. _prepared];
        try
        {
            await Adaptor.AppendAsync(_version, batches, CancellationToken.None);
        }
        catch (EventRejectedException)
        {
            _unconfirmed.Clear();
            _prepared.Clear();
            _tentative = null;
            throw;
        }
        catch (Exception ex)
        {
            Fail(ex, "ConfirmEvents");
            throw;
        }

        try
        {
            foreach (TEvent @event in events)
            {
                TransitionState(_confirmed, @event);
            }
        }
        catch (Exception ex)
        {
            Fail(ex, "applying confirmed events");
            throw;
        }

        _version += events.Length;
        _unconfirmed.RemoveRange(0, events.Length);
        _prepared.RemoveRange(0, batches.Length);
        try
        {
            await Adaptor.OnConfirmedAsync(_confirmed, _version, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The events are durable, so the call succeeds; the activation reloads in case the provider is unhealthy.
            Activation.Runtime.Log.StorageFailed(ex, GrainId, "OnConfirmedAsync");
            Activation.Invalidate(new DeactivationReason(DeactivationReasonCode.StorageFailed, $"Journal checkpoint failed: {ex.Message}"));
        }

        OnStateChanged();
    }

    private void Fail(Exception exception, string operation)
    {
        _failure = exception;
        _unconfirmed.Clear();
        _prepared.Clear();
        _tentative = null;
        Activation.Runtime.Log.StorageFailed(exception, GrainId, operation);
        Activation.Invalidate(new DeactivationReason(DeactivationReasonCode.StorageFailed, $"Journal {operation} failed: {exception.Message}"));
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw new InvalidOperationException(
                $"The journal of grain {GrainId} failed ({_failure.Message}); the activation is deactivating and the next one replays from storage.",
                _failure);
        }
    }

    private void RebuildTentative()
    {
        _tentative = CopyState(_confirmed);
        foreach (TEvent @event in _unconfirmed)
        {
            TransitionState(_tentative, @event);
        }
    }

    private TState CopyState(TState state)
    {
        var serializer = Activation.Runtime.Serializer;
        return (TState)serializer.Deserialize(serializer.Serialize(state, typeof(TState)), typeof(TState))!;
    }

    private IJournalAdaptor<TState, TEvent> CreateAdaptor()
    {
        GrainClassInfo info = Activation.ClassInfo;
        if (info.StorageAttribute is null)
        {
            return new MemoryJournalAdaptor<TState, TEvent>(new MemoryJournalStream(GrainId));
        }

        string store = info.DefaultStoreName;
        IJournalAdaptorFactory factory = Activation.Runtime.Services.GetKeyedService<IJournalAdaptorFactory>(store)
            ?? throw new InvalidOperationException(
                $"Grain type '{info.GrainClass.FullName}' ('{info.TypeName}') uses journal store '{store}', but no journal store named '{store}' is configured.");
        return factory.Create<TState, TEvent>(new JournalAdaptorContext(GrainId, info.GrainClass, store, info.StorageAttribute, Activation.Runtime.Services));
    }
}
