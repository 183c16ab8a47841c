using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Actors.Cluster.Tests.Support;

/// <summary>
/// The repository's <c>docker-compose.yml</c> as docker compose reads it: anchors and merge keys (<c>&lt;&lt;: *x</c>)
/// resolved (a key written in the mapping overrides a merged one), <c>${VAR:-default}</c> interpolated from the current environment, and each silo service's environment as
/// its container sees it (the aspnet base image's ENV, then the runtime stage's ENV of <c>silo/Dockerfile</c>, then the
/// service's <c>environment</c>), as <c>scripts/lib/compose_support.py</c> computes it for the compose checks.
/// </summary>
public sealed partial class ComposeFile
{
    /// <summary>The Dockerfile every silo service builds.</summary>
    public const string SiloDockerfile = "silo/Dockerfile";

    /// <summary>The ENV the aspnet base image sets before silo/Dockerfile's own (as compose_support.py's BASE_IMAGE_ENV).</summary>
    private static readonly Dictionary<string, string> BaseImageEnvironment = new(StringComparer.Ordinal)
    {
        ["ASPNETCORE_HTTP_PORTS"] = "8080",
        ["DOTNET_RUNNING_IN_CONTAINER"] = "true",
        ["APP_UID"] = "1654",
    };

    private readonly YamlMappingNode _services;
    private readonly IReadOnlyDictionary<string, string> _imageEnvironment;

    private ComposeFile(string root, string fileName, YamlMappingNode services, IReadOnlyDictionary<string, string> imageEnvironment)
    {
        Root = root;
        FileName = fileName;
        _services = services;
        _imageEnvironment = imageEnvironment;
    }

    /// <summary>The repository root (the directory holding <c>Actors.sln</c>).</summary>
    public string Root { get; }

    /// <summary>The compose file's name, relative to <see cref="Root"/>.</summary>
    public string FileName { get; }

    /// <summary>The services' names.</summary>
    public IReadOnlyList<string> ServiceNames => [.. Merged(_services).Keys];

    /// <summary>The services that build the silo image, by name.</summary>
    public IReadOnlyList<string> SiloServices => [.. ServiceNames.Where(n => Scalar(Service(n), "build", "dockerfile") == SiloDockerfile).Order(StringComparer.Ordinal)];

    /// <summary>Reads <paramref name="fileName"/> (default <c>docker-compose.yml</c>) of the repository this test runs from.</summary>
    public static ComposeFile Load(string fileName = "docker-compose.yml")
    {
        string root = FindRoot();
        var stream = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(Path.Combine(root, fileName))))
        {
            stream.Load(reader);
        }

        var document = (YamlMappingNode)stream.Documents[0].RootNode;
        var services = (YamlMappingNode)Merged(document)["services"];
        return new ComposeFile(root, fileName, services, ReadImageEnvironment(Path.Combine(root, SiloDockerfile)));
    }

    /// <summary>A service's <c>environment</c> (mapping or list form), interpolated.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentOf(string service)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!Merged(Service(service)).TryGetValue("environment", out YamlNode? node))
        {
            return environment;
        }

        if (node is YamlMappingNode mapping)
        {
            foreach ((string key, YamlNode value) in Merged(mapping))
            {
                environment[key] = Interpolate(((YamlScalarNode)value).Value ?? "");
            }
        }
        else
        {
            foreach (YamlNode item in (YamlSequenceNode)node)
            {
                string[] pair = ((YamlScalarNode)item).Value!.Split('=', 2);
                environment[pair[0]] = Interpolate(pair.Length == 2 ? pair[1] : "");
            }
        }

        return environment;
    }

    /// <summary>What a silo service's process sees: the base image's ENV, silo/Dockerfile's runtime ENV, then the service's environment.</summary>
    public IReadOnlyDictionary<string, string> ContainerEnvironmentOf(string siloService)
    {
        var environment = new Dictionary<string, string>(BaseImageEnvironment, StringComparer.Ordinal);
        foreach ((string key, string value) in _imageEnvironment)
        {
            environment[key] = value;
        }

        foreach ((string key, string value) in EnvironmentOf(siloService))
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary>A service's <c>command</c> in list form (empty when it has none).</summary>
    public IReadOnlyList<string> CommandOf(string service)
        => Merged(Service(service)).TryGetValue("command", out YamlNode? node)
            ? node is YamlSequenceNode list ? [.. list.Select(i => Interpolate(((YamlScalarNode)i).Value!))] : throw new NotSupportedException($"{FileName}: service '{service}' has a string command; write it in list form")
            : [];

    /// <summary>A scalar under a service (for example <c>("build", "dockerfile")</c>), or null.</summary>
    public string? ScalarOf(string service, params string[] path) => Scalar(Service(service), path);

    private YamlMappingNode Service(string name) => (YamlMappingNode)Merged(_services)[name];

    /// <summary>
    /// A mapping's entries with its merge key resolved as YAML 1.1 and compose define it: the entries of the mapping (or
    /// mappings, the first winning) under <c>&lt;&lt;</c>, overridden by the keys written in the mapping itself.
    /// </summary>
    private static Dictionary<string, YamlNode> Merged(YamlMappingNode node)
    {
        var entries = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        if (node.Children.TryGetValue(new YamlScalarNode("<<"), out YamlNode? merge))
        {
            foreach (YamlNode source in merge is YamlSequenceNode sources ? sources.Children : [merge])
            {
                foreach ((string key, YamlNode value) in Merged((YamlMappingNode)source))
                {
                    entries.TryAdd(key, value);
                }
            }
        }

        foreach ((YamlNode key, YamlNode value) in node.Children)
        {
            string name = ((YamlScalarNode)key).Value!;
            if (name != "<<")
            {
                entries[name] = value;
            }
        }

        return entries;
    }

    private static string? Scalar(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (string key in path)
        {
            if (current is not YamlMappingNode mapping || !Merged(mapping).TryGetValue(key, out YamlNode? next))
            {
                return null;
            }

            current = next;
        }

        return (current as YamlScalarNode)?.Value;
    }

    /// <summary><c>${VAR:-default}</c> and <c>${VAR}</c> as docker compose substitutes them.</summary>
    private static string Interpolate(string value) => Variable().Replace(value, m =>
        Environment.GetEnvironmentVariable(m.Groups[1].Value) is { Length: > 0 } set ? set : m.Groups[3].Success ? m.Groups[3].Value : "");

    /// <summary>The ENV instructions of the Dockerfile's last (runtime) stage; continuation lines joined, <c>k=v</c> tokens without quotes.</summary>
    private static Dictionary<string, string> ReadImageEnvironment(string dockerfile)
    {
        string[] lines = File.ReadAllText(dockerfile).Replace("\\\n", " ", StringComparison.Ordinal).Split('\n');
        int runtime = Array.FindLastIndex(lines, l => l.TrimStart().StartsWith("FROM ", StringComparison.OrdinalIgnoreCase));
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in lines.Skip(runtime).Select(l => l.Trim()).Where(l => l.StartsWith("ENV ", StringComparison.OrdinalIgnoreCase)))
        {
            foreach (string token in line[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] pair = token.Split('=', 2);
                if (pair.Length != 2 || pair[1].Contains('"', StringComparison.Ordinal))
                {
                    throw new NotSupportedException($"{dockerfile}: ENV token '{token}' is not a plain k=v (this reader supports that form only)");
                }

                environment[pair[0]] = pair[1];
            }
        }

        return environment;
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Actors.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Actors.sln above {AppContext.BaseDirectory}: the compose test runs from a build of the repository.");
    }

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}")]
    private static partial Regex Variable();
}
