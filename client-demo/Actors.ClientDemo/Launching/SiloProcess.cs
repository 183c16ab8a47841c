using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Actors.ClientDemo.Launching;

/// <summary>
/// A real silo process (<c>dotnet Actors.Silo.dll</c>) on a data directory, configured only through <c>ACTORS__...</c>
/// environment variables, with ephemeral gateway and health ports that it reads back from the silo's startup log line.
/// <see cref="KillAsync"/> sends SIGKILL: nothing runs in the silo after it, exactly like a crash or an OOM kill.
/// </summary>
/// <remarks>The silo's output is always drained (a full pipe would block its logging) and the last lines are kept for diagnostics.</remarks>
public sealed partial class SiloProcess : IAsyncDisposable
{
    private const int KeptLines = 200;
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();
    private readonly TaskCompletionSource<(IPEndPoint Gateway, Uri Health)> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<string>? _outputLine;
    private bool _disposed;

    private SiloProcess(Process process, Action<string>? outputLine)
    {
        _process = process;
        _outputLine = outputLine;
    }

    /// <summary>The silo's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The gateway endpoint clients connect to.</summary>
    public IPEndPoint GatewayEndPoint { get; private set; } = new(IPAddress.Loopback, 0);

    /// <summary>The health endpoint (GET returns 200 and a JSON report when healthy).</summary>
    public Uri HealthUri { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The health report the silo gave when it became healthy.</summary>
    public string HealthReport { get; private set; } = "";

    /// <summary>How long from process start until /health answered 200.</summary>
    public TimeSpan StartDuration { get; private set; }

    /// <summary>True until the process has exited.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>The last lines the silo wrote (stdout and stderr), oldest first.</summary>
    public IReadOnlyList<string> LastLines
    {
        get
        {
            lock (_lastLines)
            {
                return [.. _lastLines];
            }
        }
    }

    /// <summary>Starts the silo and waits until it logged its endpoints and its /health answers 200.</summary>
    /// <exception cref="InvalidOperationException">The silo exited or did not become healthy in time; the message has its last output.</exception>
    public static async Task<SiloProcess> StartAsync(SiloLaunchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.DataDirectory);
        var info = new ProcessStartInfo(DotNetHost.Resolve())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetFullPath(options.DataDirectory),
        };
        info.ArgumentList.Add(options.ResolveSiloAssembly());
        Directory.CreateDirectory(info.WorkingDirectory);
        info.Environment["ACTORS__DATADIRECTORY"] = Path.GetFullPath(options.DataDirectory);
        info.Environment["ACTORS__GATEWAY__PORT"] = "0";
        info.Environment["ACTORS__GATEWAY__BINDADDRESS"] = "127.0.0.1";
        info.Environment["ACTORS__HEALTH__PORT"] = "0";
        info.Environment["ACTORS__HEALTH__BINDADDRESS"] = "127.0.0.1";
        info.Environment["ACTORS__STORAGE__DEFAULT__SYNCPOLICY"] = options.SyncPolicy;
        info.Environment["ACTORS__GATEWAY__SECRET"] = options.Secret ?? "";
        info.Environment["DOTNET_gcServer"] = "0";
        foreach ((string key, string value) in options.Environment)
        {
            info.Environment[key] = value;
        }

        var stopwatch = Stopwatch.StartNew();
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var silo = new SiloProcess(process, options.OutputLine);
        process.OutputDataReceived += (_, e) => silo.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => silo.OnLine(e.Data);
        process.Exited += (_, _) => silo._started.TrySetException(new InvalidOperationException($"The silo process exited with code {SafeExitCode(process)} before it started."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            (IPEndPoint gateway, Uri health) = await silo._started.Task.WaitAsync(options.StartTimeout, cancellationToken);
            silo.GatewayEndPoint = gateway;
            silo.HealthUri = health;
            silo.HealthReport = await WaitHealthyAsync(process, health, stopwatch, options.StartTimeout, cancellationToken);
            silo.StartDuration = stopwatch.Elapsed;
            return silo;
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or HttpRequestException)
        {
            await silo.KillAsync();
            throw new InvalidOperationException(
                $"The silo on {options.DataDirectory} did not become healthy within {options.StartTimeout}: {ex.Message}{Environment.NewLine}Last silo output:{Environment.NewLine}{string.Join(Environment.NewLine, silo.LastLines.TakeLast(30))}",
                ex);
        }
    }

    /// <summary>Waits until the process exits by itself (for example a clustered silo declared dead) and returns its exit code.</summary>
    /// <exception cref="TimeoutException">It still runs after <paramref name="timeout"/>.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process dies at once, mid-write if it is writing. Waits until it has exited.</summary>
    public async Task KillAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) when (_process.HasExited)
        {
            // Already gone: nothing to kill.
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, then waits up to <paramref name="timeout"/> for a graceful stop (grains deactivate, logs flush); kills it after that.</summary>
    /// <returns>True when the silo stopped by itself.</returns>
    public async Task<bool> StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return true;
        }

        if (ProcessSignals.TryTerminate(_process))
        {
            try
            {
                await _process.WaitForExitAsync().WaitAsync(timeout);
                return true;
            }
            catch (TimeoutException)
            {
                // Fall through to the kill below: the silo did not stop within the grace period.
            }
        }

        await KillAsync();
        return false;
    }

    /// <summary>Kills the process if it still runs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await KillAsync();
        _process.Dispose();
    }

    private static async Task<string> WaitHealthyAsync(Process process, Uri health, Stopwatch stopwatch, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        string last = "no answer yet";
        while (stopwatch.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The silo process exited with code {SafeExitCode(process)} while waiting for {health}.");
            }

            try
            {
                using HttpResponseMessage response = await http.GetAsync(health, cancellationToken);
                string body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return body;
                }

                last = $"{(int)response.StatusCode}: {body}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                last = ex.Message;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }

        throw new TimeoutException($"{health} did not answer 200 (last: {last}).");
    }

    private static string SafeExitCode(Process process) => process.HasExited ? process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?";

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > KeptLines)
            {
                _lastLines.Dequeue();
            }
        }

        _outputLine?.Invoke(line);
        if (!_started.Task.IsCompleted && StartedLine().Match(line) is { Success: true } match
            && IPEndPoint.TryParse(match.Groups["gateway"].Value, out IPEndPoint? gateway)
            && Uri.TryCreate(match.Groups["health"].Value, UriKind.Absolute, out Uri? health))
        {
            _started.TrySetResult((gateway, health));
        }
    }

    // The silo's startup line (SiloApplication.LogStarted):
    // "Actors silo started: data directory D, gateway G, [metrics M/metrics, ][dashboard M/dashboard/, ]health H/health".
    [GeneratedRegex(@"Actors silo started: .*, gateway (?<gateway>[^,\s]+), (?:.*, )?health (?<health>\S+)$")]
    private static partial Regex StartedLine();
}
