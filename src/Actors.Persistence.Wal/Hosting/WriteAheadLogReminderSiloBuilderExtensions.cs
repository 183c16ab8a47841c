using Actors.Hosting;
using Actors.Persistence.Wal.Reminders;
using Actors.Reminders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Persistence.Wal.Hosting;

/// <summary>Keeps the silo's reminders in a write-ahead-log store.</summary>
public static class WriteAheadLogReminderSiloBuilderExtensions
{
    /// <summary>
    /// Adds the reminder service with its table in the write-ahead-log store <paramref name="storeName"/> (default
    /// <see cref="WriteAheadLogStore.DefaultStoreName"/>): each reminder partition is a stream of that store's log, so
    /// reminders survive kill -9 and restarts with the same durability as grain state. The store must be added with
    /// <c>AddWriteAheadLog</c>/<c>AddWriteAheadLogAsDefault</c>.
    /// </summary>
    public static ISiloBuilder UseWriteAheadLogReminderService(this ISiloBuilder builder, string storeName = WriteAheadLogStore.DefaultStoreName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(storeName);
        return builder.UseReminderTable(sp => new WriteAheadLogReminderTable(
            sp.GetKeyedService<WriteAheadLogStore>(storeName)
                ?? throw new InvalidOperationException($"UseWriteAheadLogReminderService names write-ahead-log store '{storeName}', which is not configured; add it with AddWriteAheadLog(\"{storeName}\") or AddWriteAheadLogAsDefault()."),
            sp.GetRequiredService<IReminderPartitioner>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<WriteAheadLogReminderTable>() ?? NullLogger<WriteAheadLogReminderTable>.Instance));
    }
}
