using System.Reflection;
using System.Runtime.Loader;
using Actors.Orleans.Silo.Hosting;
using Actors.Orleans.Silo.Options;
using Orleans.Serialization.Configuration;

namespace Actors.Orleans.Silo.Grains;

/// <summary>
/// Loads the grain assemblies of <see cref="ActorsSiloOptions.GrainsDirectory"/> into the default load context, so
/// their types are the same types Orleans and the providers see. Orleans finds a grain assembly's classes, interfaces
/// and serializers through the metadata its code generator emits (<c>[assembly: TypeManifestProvider(...)]</c>, on
/// assemblies marked <c>[assembly: ApplicationPart]</c>); the silo registers that metadata through Orleans's own
/// <c>AddSerializer(s =&gt; s.AddAssembly(assembly))</c> (see <see cref="GrainAssemblyExtensions"/>).
/// </summary>
/// <remarks>
/// Which files: those named in <see cref="ActorsSiloOptions.GrainAssemblies"/>, else every <c>*.dll</c> in the
/// directory whose assembly name the host does not already carry (a grain project's publish output holds Orleans and
/// the abstractions too: the host's copies win, so a grain assembly must be built against the versions the host
/// carries). Other dependencies of a grain assembly load from the directory when first needed.
/// </remarks>
internal static class GrainAssemblyLoader
{
    /// <summary>Loads the configured grain assemblies; none when no directory is configured.</summary>
    /// <exception cref="SiloStartupException">The directory or a named file is missing, a file is not a .NET assembly, or no assembly there has Orleans generated code.</exception>
    public static IReadOnlyList<Assembly> Load(ActorsSiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.GrainsDirectory.Length == 0)
        {
            return [];
        }

        string setting = $"{ActorsSiloOptions.SectionName}:{nameof(ActorsSiloOptions.GrainsDirectory)}";
        string directory = Path.GetFullPath(options.GrainsDirectory);
        if (!Directory.Exists(directory))
        {
            throw new SiloStartupException($"{setting} is '{options.GrainsDirectory}': the directory {directory} does not exist.");
        }

        HashSet<string> host = HostAssemblyNames();
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            string candidate = Path.Combine(directory, $"{name.Name}.dll");
            return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
        };

        bool named = options.GrainAssemblies.Count > 0;
        IEnumerable<string> files = named
            ? options.GrainAssemblies.Select(file => Path.Combine(directory, file))
            : Directory.EnumerateFiles(directory, "*.dll").Order(StringComparer.Ordinal);
        var loaded = new List<Assembly>();
        foreach (string file in files)
        {
            if (!File.Exists(file))
            {
                throw new SiloStartupException($"{ActorsSiloOptions.SectionName}:{nameof(ActorsSiloOptions.GrainAssemblies)} names {Path.GetFileName(file)}, which is not in {setting} ({directory}).");
            }

            AssemblyName name;
            try
            {
                name = AssemblyName.GetAssemblyName(file);
            }
            catch (BadImageFormatException) when (!named)
            {
                continue;   // a native library beside the grain assemblies
            }
            catch (Exception ex) when (ex is BadImageFormatException or FileLoadException)
            {
                throw new SiloStartupException($"{setting}: {file} is not a .NET assembly the silo can load: {ex.Message}", ex);
            }

            if (name.Name is { } simple && host.Contains(simple))
            {
                if (named)
                {
                    loaded.Add(Assembly.Load(name));   // the host carries it: its own copy
                }

                continue;
            }

            try
            {
                loaded.Add(AssemblyLoadContext.Default.LoadFromAssemblyPath(file));
            }
            catch (Exception ex) when (ex is BadImageFormatException or FileLoadException)
            {
                throw new SiloStartupException($"{setting}: loading {file} failed: {ex.Message}", ex);
            }
        }

        List<Assembly> grains = [.. loaded.Where(a => a.GetCustomAttributes<TypeManifestProviderAttribute>().Any())];
        if (grains.Count == 0)
        {
            throw new SiloStartupException(
                $"{setting} is '{options.GrainsDirectory}': none of the {loaded.Count} assemblies loaded from {directory} has Orleans generated code (a project referencing Microsoft.Orleans.Sdk); nothing to host.");
        }

        return grains;
    }

    /// <summary>The simple names of the assemblies the host resolves itself (its own and the shared framework's).</summary>
    private static HashSet<string> HostAssemblyNames()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string paths)
        {
            foreach (string path in paths.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                names.Add(Path.GetFileNameWithoutExtension(path));
            }
        }

        foreach (Assembly assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.GetName().Name is { } name)
            {
                names.Add(name);
            }
        }

        return names;
    }
}
