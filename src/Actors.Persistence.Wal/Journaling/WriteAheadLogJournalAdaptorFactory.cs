using System.Reflection;
using Actors.Journaling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Persistence.Wal;

/// <summary>
/// The journal store of one write-ahead-log store: creates a <see cref="WriteAheadLogJournalAdaptor{TState, TEvent}"/>
/// per activation, with the grain class's checkpoint policy (its <see cref="WriteAheadLogAttribute"/>, if any, over
/// the store's defaults). Registered as a keyed <see cref="IJournalAdaptorFactory"/> under the store's name.
/// </summary>
public sealed class WriteAheadLogJournalAdaptorFactory : IJournalAdaptorFactory
{
    private readonly WriteAheadLogStore _store;
    private readonly ILogger _logger;

    /// <summary>Creates the factory over <paramref name="store"/>.</summary>
    public WriteAheadLogJournalAdaptorFactory(WriteAheadLogStore store, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Actors.Persistence.Wal.Journal");
    }

    /// <inheritdoc />
    public IJournalAdaptor<TState, TEvent> Create<TState, TEvent>(JournalAdaptorContext context)
        where TState : class, new()
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(context);
        CheckpointPolicy policy = _store.Options.DefaultCheckpointPolicy.With(context.GrainClass.GetCustomAttribute<WriteAheadLogAttribute>(inherit: true));
        return new WriteAheadLogJournalAdaptor<TState, TEvent>(_store, context.GrainId, policy, _logger);
    }
}
