using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace Actors.Orleans.Silo.Tests;

/// <summary>
/// docker-compose.single.yml as processes, in every test run (so CI): the silo program (copied next to the tests) with
/// the environment its container gets (silo/Dockerfile's runtime ENV, then the service's environment), only what one
/// host forces remapped (addresses to loopback, ports to free ones, /data to a temp directory, the grains directory to
/// the demo grains next to the tests), the compose health check (/app/healthcheck.sh, here the copy next to the
/// program) until it passes, then the demo service's program in gateway mode against the silo's gateway. The demo's
/// verdict must be PASS. scripts/check-compose.sh goes further (publish from the Dockerfiles' contexts, PostgreSQL, the
/// three-silo file, a graceful stop); this test keeps the load short (--duration 2 instead of the file's).
/// </summary>
public sealed partial class ComposeProcessTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(120);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "actors-compose-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task DockerComposeSingleYml_SiloWithItsContainerEnvironment_DemoServiceVerifies()
    {
        string root = FindRoot();
        YamlMappingNode services = (YamlMappingNode)Load(Path.Combine(root, "docker-compose.single.yml"))["services"];
        var silo = (YamlMappingNode)services["silo"];
        var demo = (YamlMappingNode)services["demo"];
        Assert.Equal("silo/Dockerfile", ((YamlScalarNode)((YamlMappingNode)silo["build"])["dockerfile"]).Value);
        Assert.Equal("client-demo/Dockerfile", ((YamlScalarNode)((YamlMappingNode)demo["build"])["dockerfile"]).Value);

        var environment = new Dictionary<string, string>(ImageEnvironment(Path.Combine(root, "silo", "Dockerfile")), StringComparer.Ordinal);
        foreach ((string key, string value) in Environment(silo))
        {
            environment[key] = value;
        }

        Assert.True(Volumes(silo).Any(v => v.EndsWith(":" + environment["ACTORS__DATADIRECTORY"], StringComparison.Ordinal)), $"no volume at the data directory {environment["ACTORS__DATADIRECTORY"]}");
        Assert.Equal("/app/grains", environment["ACTORS__GRAINSDIRECTORY"]);
        int gateway = FreePort();
        int http = FreePort();
        string gatewayInCompose = environment["ACTORS__GATEWAYPORT"];
        environment["ACTORS__BINDADDRESS"] = "127.0.0.1";
        environment["ACTORS__HTTPBINDADDRESS"] = "127.0.0.1";
        environment["ACTORS__SILOPORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["ACTORS__GATEWAYPORT"] = gateway.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["ACTORS__HTTPPORT"] = http.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["ACTORS__DASHBOARDPORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["ACTORS__DATADIRECTORY"] = Path.Combine(_directory, "data");
        environment["ACTORS__GRAINSDIRECTORY"] = AppContext.BaseDirectory;
        environment["ACTORS__GRAINASSEMBLIES__0"] = "Actors.Orleans.Demo.Grains.dll";   // the image's grains directory holds only the grains' publish output
        environment["ASPNETCORE_HTTP_PORTS"] = "";
        output.WriteLine(string.Join(" ", environment.Select(e => $"{e.Key}={e.Value}")));

        Directory.CreateDirectory(_directory);
        using var siloProcess = new ChildProcess("silo", Path.Combine(AppContext.BaseDirectory, "Actors.Orleans.Silo.dll"), [], environment, _directory);
        try
        {
            string health = await WaitHealthyAsync(environment, siloProcess);
            output.WriteLine(health);

            var demoEnvironment = new Dictionary<string, string>(Environment(demo), StringComparer.Ordinal);
            string[] gateways = demoEnvironment["ACTORS_DEMO_GATEWAYS"].Split(',');
            Assert.Equal([$"silo:{gatewayInCompose}"], gateways);
            demoEnvironment["ACTORS_DEMO_GATEWAYS"] = $"127.0.0.1:{gateway}";
            List<string> command = [.. ((YamlSequenceNode)demo["command"]).Children.Select(c => ((YamlScalarNode)c).Value!)];
            int duration = command.IndexOf("--duration");
            Assert.True(duration >= 0, "the demo service's command sets --duration");
            command[duration + 1] = "2";
            using var demoProcess = new ChildProcess("demo", Path.Combine(AppContext.BaseDirectory, "Actors.Orleans.ClientDemo.dll"), command, demoEnvironment, _directory);
            int exit = await demoProcess.WaitAsync(TimeSpan.FromMinutes(5));
            string demoOutput = demoProcess.Output;
            output.WriteLine(demoOutput);
            Assert.True(exit == 0 && demoOutput.Contains("VERDICT: PASS", StringComparison.Ordinal), $"the demo service's program exited with {exit}:{System.Environment.NewLine}{demoOutput}{System.Environment.NewLine}silo:{System.Environment.NewLine}{siloProcess.Output}");
        }
        finally
        {
            siloProcess.Kill();
        }
    }

    /// <summary>Runs the compose health check (the image's healthcheck.sh with the silo's environment) until it exits 0.</summary>
    private static async Task<string> WaitHealthyAsync(IReadOnlyDictionary<string, string> environment, ChildProcess silo)
    {
        var clock = Stopwatch.StartNew();
        string last = "not run yet";
        while (clock.Elapsed < StartLimit)
        {
            Assert.False(silo.HasExited, $"the silo exited before it was healthy:{System.Environment.NewLine}{silo.Output}");
            using var probe = new ChildProcess("healthcheck", "bash", [Path.Combine(AppContext.BaseDirectory, "healthcheck.sh")], environment, AppContext.BaseDirectory, dotnet: false);
            int code = await probe.WaitAsync(TimeSpan.FromSeconds(10));
            last = probe.Output;
            if (code == 0)
            {
                return last;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));   // poll interval of a condition wait, not a timing assumption
        }

        throw new Xunit.Sdk.XunitException($"the compose health check did not pass within {StartLimit.TotalSeconds} s; last: {last}{System.Environment.NewLine}{silo.Output}");
    }

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(path)))
        {
            stream.Load(reader);
        }

        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static IEnumerable<KeyValuePair<string, string>> Environment(YamlMappingNode service) =>
        service.Children.TryGetValue(new YamlScalarNode("environment"), out YamlNode? node)
            ? ((YamlMappingNode)node).Children.Select(c => new KeyValuePair<string, string>(((YamlScalarNode)c.Key).Value!, Interpolate(((YamlScalarNode)c.Value).Value ?? "")))
            : [];

    private static IEnumerable<string> Volumes(YamlMappingNode service) =>
        service.Children.TryGetValue(new YamlScalarNode("volumes"), out YamlNode? node) ? ((YamlSequenceNode)node).Children.Select(v => ((YamlScalarNode)v).Value!) : [];

    /// <summary>${VAR:-default} as docker compose substitutes it.</summary>
    private static string Interpolate(string value) =>
        Variable().Replace(value, m => System.Environment.GetEnvironmentVariable(m.Groups[1].Value) is { Length: > 0 } set ? set : m.Groups[3].Value);

    /// <summary>The ENV of the Dockerfile's last stage (continuations joined).</summary>
    private static Dictionary<string, string> ImageEnvironment(string dockerfile)
    {
        string text = File.ReadAllText(dockerfile).Replace("\\\n", " ", StringComparison.Ordinal);
        string last = text[text.LastIndexOf("\nFROM ", StringComparison.Ordinal)..];
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in last.Split('\n').Where(l => l.StartsWith("ENV ", StringComparison.Ordinal)))
        {
            foreach (string token in line[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                int equals = token.IndexOf('=', StringComparison.Ordinal);
                environment[token[..equals]] = token[(equals + 1)..];
            }
        }

        Assert.True(environment.Count > 0, $"{dockerfile}: no ENV in its last stage");
        return environment;
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
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

        throw new DirectoryNotFoundException($"no Actors.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}")]
    private static partial Regex Variable();

    /// <summary>A child process with its output collected.</summary>
    private sealed class ChildProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        public ChildProcess(string name, string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory, bool dotnet = true)
        {
            var start = new ProcessStartInfo(dotnet ? DotnetHost() : program)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory,
            };
            if (dotnet)
            {
                start.ArgumentList.Add(program);
            }

            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            foreach ((string key, string value) in environment)
            {
                start.Environment[key] = value;
            }

            _process = new Process { StartInfo = start };
            _process.OutputDataReceived += (_, e) => Append(e.Data);
            _process.ErrorDataReceived += (_, e) => Append(e.Data);
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            Name = name;
        }

        public string Name { get; }

        public bool HasExited => _process.HasExited;

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public async Task<int> WaitAsync(TimeSpan limit)
        {
            try
            {
                await _process.WaitForExitAsync().WaitAsync(limit);
            }
            catch (TimeoutException)
            {
                Kill();
                throw new Xunit.Sdk.XunitException($"{Name} still ran after {limit}:{System.Environment.NewLine}{Output}");
            }

            _process.WaitForExit();   // drains the output
            return _process.ExitCode;
        }

        public void Kill()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }

        public void Dispose()
        {
            Kill();
            _process.Dispose();
        }

        private static string DotnetHost() =>
            System.Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
            : System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
            : "dotnet";

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }
    }
}
