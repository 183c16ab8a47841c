using System.Reflection;
using Actors.Serialization;
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
            GrainContext.Deactivate(new DeactivationReason(DeactivationReasonCode.StorageFailed, $"Journal checkpoint failed: {ex.Message}", ex));
        }

        OnStateChanged();
    }

    private void Fail(Exception exception, string operation)
    {
        _failure = exception;
        _unconfirmed.Clear();
        _prepared.Clear();
        _tentative = null;
        GrainContext.Deactivate(new DeactivationReason(DeactivationReasonCode.StorageFailed, $"Journal {operation} failed: {exception.Message}", exception));
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
        var serializer = GrainContext.ActivationServices.GetRequiredService<IGrainSerializer>();
        return (TState)serializer.Deserialize(serializer.Serialize(state, typeof(TState)), typeof(TState))!;
    }

    private IJournalAdaptor<TState, TEvent> CreateAdaptor()
    {
        Type grainClass = GetType();
        StorageProviderAttribute? storageAttribute = grainClass.GetCustomAttribute<StorageProviderAttribute>(inherit: true);
        if (storageAttribute is null)
        {
            return new MemoryJournalAdaptor<TState, TEvent>(new MemoryJournalStream(GrainId));
        }

        string store = storageAttribute.StoreName ?? StorageNames.Default;
        IServiceProvider services = GrainContext.ActivationServices;
        IJournalAdaptorFactory factory = services.GetKeyedService<IJournalAdaptorFactory>(store)
            ?? throw new InvalidOperationException(
                $"Grain type '{grainClass.FullName}' ('{GrainId.Type}') uses journal store '{store}', but no journal store named '{store}' is configured.");
        return factory.Create<TState, TEvent>(new JournalAdaptorContext(GrainId, grainClass, store, storageAttribute, services));
    }
}
