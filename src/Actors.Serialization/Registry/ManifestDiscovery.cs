using System.Collections.Concurrent;
using System.Reflection;

namespace Actors.Serialization;

/// <summary>
/// Finds the <see cref="SerializationManifestAttribute"/>s of the process's assemblies. Assemblies loaded later bump
/// <see cref="Version"/>, so serializers pick their manifests up on their next cache miss.
/// </summary>
internal static class ManifestDiscovery
{
    private static readonly ConcurrentDictionary<Assembly, ISerializationManifestProvider[]> ByAssembly = new();
    private static int _version;
    private static int _referencesLoaded;

    static ManifestDiscovery()
    {
        AppDomain.CurrentDomain.AssemblyLoad += (_, _) => Interlocked.Increment(ref _version);
    }

    /// <summary>Changes whenever an assembly is loaded.</summary>
    public static int Version => Volatile.Read(ref _version);

    /// <summary>The manifest providers of every loaded assembly.</summary>
    public static IEnumerable<ISerializationManifestProvider> LoadedManifests()
    {
        foreach (Assembly assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            foreach (ISerializationManifestProvider provider in ManifestsOf(assembly))
            {
                yield return provider;
            }
        }
    }

    /// <summary>The manifest providers an assembly names.</summary>
    public static ISerializationManifestProvider[] ManifestsOf(Assembly assembly) => ByAssembly.GetOrAdd(assembly, static a =>
    {
        if (a.IsDynamic)
        {
            return [];
        }

        return [.. a.GetCustomAttributes<SerializationManifestAttribute>()
            .Select(attribute => (ISerializationManifestProvider)Activator.CreateInstance(attribute.ManifestProviderType, nonPublic: true)!)];
    });

    /// <summary>
    /// Loads (once) the assemblies the entry assembly references, transitively, so a type alias declared in a referenced
    /// assembly that no code has touched yet can be resolved.
    /// </summary>
    public static void LoadReferencedAssemblies()
    {
        if (Interlocked.Exchange(ref _referencesLoaded, 1) != 0 || Assembly.GetEntryAssembly() is not { } entry)
        {
            return;
        }

        var seen = new HashSet<string>(AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name ?? string.Empty), StringComparer.Ordinal);
        var pending = new Stack<Assembly>([entry]);
        while (pending.TryPop(out Assembly? assembly))
        {
            foreach (AssemblyName reference in assembly.GetReferencedAssemblies())
            {
                if (reference.Name is null || !seen.Add(reference.Name))
                {
                    continue;
                }

                try
                {
                    pending.Push(Assembly.Load(reference));
                }
                catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException)
                {
                    // A reference that cannot be loaded declares no type we could resolve; the unknown name stays an error.
                }
            }
        }
    }
}
