using System.Globalization;
using System.Reflection;
using Actors.Hosting;
using Actors.Wal;
using Microsoft.Extensions.Options;

namespace Actors.Persistence.Wal;

/// <summary>
/// The history policies the grain classes of one store chose with <see cref="WriteAheadLogAttribute.EventHistory"/>, by
/// grain type: the store's log applies a class's policy to the streams of its grains (stream id <c>type/key</c>).
/// </summary>
/// <remarks>Immutable and thread-safe; built once when the store is created.</remarks>
public sealed class GrainClassHistory
{
    private readonly Dictionary<string, HistoryRetention> _byGrainType;

    private GrainClassHistory(Dictionary<string, HistoryRetention> byGrainType) => _byGrainType = byGrainType;

    /// <summary>No class chose a policy: every stream follows the store's.</summary>
    public static GrainClassHistory Empty { get; } = new([]);

    /// <summary>True when no class chose a policy.</summary>
    public bool IsEmpty => _byGrainType.Count == 0;

    /// <summary>The policy of each grain type that chose one.</summary>
    public IReadOnlyDictionary<string, HistoryRetention> ByGrainType => _byGrainType;

    /// <summary>
    /// The policies of the classes among <paramref name="classes"/> that keep state in store <paramref name="storeName"/>
    /// and set a history policy on their <see cref="WriteAheadLogAttribute"/>.
    /// </summary>
    /// <exception cref="OptionsValidationException">A class's history settings are invalid; each failure names the store, the class and the setting.</exception>
    public static GrainClassHistory Create(string storeName, IEnumerable<GrainClassDescriptor> classes)
    {
        ArgumentException.ThrowIfNullOrEmpty(storeName);
        ArgumentNullException.ThrowIfNull(classes);
        var byGrainType = new Dictionary<string, HistoryRetention>(StringComparer.Ordinal);
        var failures = new List<string>();
        foreach (GrainClassDescriptor grainClass in classes)
        {
            if (!grainClass.StoreNames.Contains(storeName, StringComparer.Ordinal)
                || grainClass.GrainClass.GetCustomAttribute<WriteAheadLogAttribute>(inherit: true) is not { } attribute)
            {
                continue;
            }

            string prefix = $"[{storeName}] grain class {grainClass.GrainClass.FullName}, [WriteAheadLog]: ";
            TimeSpan? duration = null;
            if (attribute.HistoryDuration is { } text)
            {
                if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan parsed))
                {
                    duration = parsed;
                }
                else
                {
                    failures.Add($"{prefix}{nameof(WriteAheadLogAttribute.HistoryDuration)} \"{text}\" is not a time span such as \"30.00:00:00\".");
                    continue;
                }
            }

            int? versions = attribute.HistoryVersions == 0 ? null : attribute.HistoryVersions;
            if (attribute.EventHistoryOverride is not { } policy)
            {
                if (duration is not null || versions is not null)
                {
                    string setting = versions is not null ? nameof(WriteAheadLogAttribute.HistoryVersions) : nameof(WriteAheadLogAttribute.HistoryDuration);
                    failures.Add($"{prefix}{setting} is set without {nameof(WriteAheadLogAttribute.EventHistory)} ({nameof(EventHistoryPolicy.KeepLastVersions)} for a version count, {nameof(EventHistoryPolicy.KeepFor)} for a duration).");
                }

                continue;
            }

            var classFailures = WriteAheadLogStoreOptionsValidator.HistoryFailures(prefix, policy, duration, versions).ToList();
            if (classFailures.Count > 0)
            {
                failures.AddRange(classFailures);
                continue;
            }

            byGrainType[grainClass.TypeName] = WriteAheadLogStoreOptions.HistoryRetentionOf(policy, duration, versions);
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(storeName, typeof(WriteAheadLogStoreOptions), failures);
        }

        return byGrainType.Count == 0 ? Empty : new GrainClassHistory(byGrainType);
    }

    /// <summary>The policy of the class whose grain owns <paramref name="streamId"/> (<c>type/key</c>), or null for the store's.</summary>
    public HistoryRetention? For(string streamId)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        int slash = streamId.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && _byGrainType.TryGetValue(streamId[..slash], out HistoryRetention? policy) ? policy : null;
    }
}
