using System.Collections.Concurrent;
using System.Reflection;
using System.Text;

namespace Actors.Persistence.Wal;

/// <summary>Reads and checks the stable names of event types.</summary>
internal static class EventTypeNames
{
    private static readonly ConcurrentDictionary<Type, string?> Names = new();

    /// <summary>The type's stable name, or null when it has no <see cref="EventTypeAttribute"/>.</summary>
    public static string? GetName(Type type) => Names.GetOrAdd(type, static t => t.GetCustomAttribute<EventTypeAttribute>(inherit: false)?.Name);

    /// <summary>The type's stable name.</summary>
    /// <exception cref="ArgumentException">The type has no attribute or the name is invalid.</exception>
    public static string GetRequiredName(Type type)
    {
        string? name = GetName(type);
        if (name is null)
        {
            throw new ArgumentException(MissingNameMessage(type), nameof(type));
        }

        string? problem = Validate(name);
        if (problem is not null)
        {
            throw new ArgumentException($"The event type name of '{type.FullName}' is invalid: {problem}", nameof(type));
        }

        return name;
    }

    /// <summary>Explains how to name an event type.</summary>
    public static string MissingNameMessage(Type type) =>
        $"Event type '{type.FullName}' has no stable name: add [EventType(\"some-name\")] to it (CLR type names are never stored in JSON), or mark it [GenerateSerializer] (with [Id] members) to store it with the binary serializer.";

    /// <summary>Returns why a name is invalid, or null.</summary>
    public static string? Validate(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "the name is empty.";
        }

        int bytes = Encoding.UTF8.GetByteCount(name);
        return bytes > EventTypeAttribute.MaxNameLength
            ? $"the name '{name}' has {bytes} UTF-8 bytes; at most {EventTypeAttribute.MaxNameLength} are allowed."
            : null;
    }

    /// <summary>Every type of <paramref name="assembly"/> that carries <see cref="EventTypeAttribute"/>.</summary>
    public static IEnumerable<Type> FindEventTypes(Assembly assembly)
    {
        Type?[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            types = ex.Types;
        }

        return types.Where(t => t is not null && GetName(t) is not null).Select(t => t!);
    }
}
