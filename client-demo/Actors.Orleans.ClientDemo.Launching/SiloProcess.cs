using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;

namespace Actors.Orleans.ClientDemo.Launching;

/// <summary>
/// A real Orleans silo process (<c>dotnet Actors.Orleans.Silo.dll</c>) on a data directory, configured through
/// <c>ACTORS__...</c> environment variables with free ports, found through its startup line and its /health.
/// <see cref="KillAsync"/> is SIGKILL: nothing runs in the silo after it, as in a crash or an OOM kill.
/// </summary>
/// <remarks>The silo's output is always drained (a full pipe would block it); the last lines are kept for failure messages.</remarks>
public sealed partial class SiloProcess : IAsyncDisposable
{
    private const int KeptLines = 300;
    private readonly Process _process;
    private int _disposed;
    private readonly Queue<string> _lines = new();
    private readonly TaskCompletionSource<SiloStartedLine> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<string>? _echo;

    private SiloProcess(Process process, Action<string>? echo)
    {
        _process = process;
        _echo = echo;
    }

    /// <summary>The process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The endpoints the silo announced.</summary>
    public SiloStartedLine Endpoints { get; private set; } = null!;

    /// <summary>The /health body when the silo became healthy.</summary>
    public string HealthReport { get; private set; } = "";

    /// <summary>From process start until /health answered 200.</summary>
    public TimeSpan StartDuration { get; private set; }

    /// <summary>The last lines the silo wrote, oldest first.</summary>
    public IReadOnlyList<string> LastLines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Starts the silo and waits for its startup line and a 200 from /health.</summary>
    /// <exception cref="InvalidOperationException">It exited or did not become healthy in time; the message has its last output.</exception>
    public static async Task<SiloProcess> StartAsync(SiloProcessOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.DataDirectory);
        string dataDirectory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(dataDirectory);
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
            ArgumentList = { options.ResolveSiloAssembly() },
            Environment =
            {
                ["ACTORS__DATADIRECTORY"] = dataDirectory,
                ["ACTORS__SILOPORT"] = "0",
                ["ACTORS__GATEWAYPORT"] = "0",
                ["ACTORS__HTTPPORT"] = "0",
                ["ACTORS__HTTPBINDADDRESS"] = "127.0.0.1",
                ["ACTORS__DASHBOARDPORT"] = "0",
                ["ACTORS__GRAINSDIRECTORY"] = Path.GetDirectoryName(Path.GetFullPath(options.GrainAssemblyPath))!,
                ["ACTORS__GRAINASSEMBLIES__0"] = Path.GetFileName(options.GrainAssemblyPath),
                ["WRITEAHEADLOG__SYNCPOLICY"] = options.SyncPolicy,
                ["DOTNET_gcServer"] = "0",
            },
        };
        foreach ((string key, string value) in options.Environment)
        {
            start.Environment[key] = value;
        }

        var clock = Stopwatch.StartNew();
        var silo = new SiloProcess(new Process { StartInfo = start, EnableRaisingEvents = true }, options.OutputLine);
        silo._process.OutputDataReceived += (_, e) => silo.Collect(e.Data);
        silo._process.ErrorDataReceived += (_, e) => silo.Collect(e.Data);
        silo._process.Exited += (_, _) => silo._started.TrySetException(new InvalidOperationException($"the silo exited with code {silo.ExitCode} before its startup line"));
        silo._process.Start();
        silo._process.BeginOutputReadLine();
        silo._process.BeginErrorReadLine();
        try
        {
            silo.Endpoints = await silo._started.Task.WaitAsync(options.StartTimeout, cancellationToken);
            silo.HealthReport = await silo.WaitHealthyAsync(options.StartTimeout - clock.Elapsed, cancellationToken);
            silo.StartDuration = clock.Elapsed;
            return silo;
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            await silo.KillAsync();
            throw new InvalidOperationException(
                $"Starting the silo on {dataDirectory}: expected its startup line and a 200 from /health within {options.StartTimeout.TotalSeconds:F0} s; {ex.Message}.{Environment.NewLine}Its last output:{Environment.NewLine}{string.Join(Environment.NewLine, silo.LastLines.TakeLast(30))}",
                ex);
        }
    }

    /// <summary>SIGKILL, then waits until the process is gone (nothing once disposed: the process is gone then).</summary>
    public async Task KillAsync()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        if (!_process.HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException) when (_process.HasExited)
            {
                // It exited between the check and the kill.
            }
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM and a wait of up to <paramref name="grace"/> for a graceful stop; SIGKILL after that. True when it stopped by itself.</summary>
    public async Task<bool> StopAsync(TimeSpan grace)
    {
        if (!_process.HasExited && !OperatingSystem.IsWindows() && SendSignal(_process.Id, SigTerm) == 0)
        {
            try
            {
                await _process.WaitForExitAsync().WaitAsync(grace);
                return true;
            }
            catch (TimeoutException)
            {
                // Not stopped within the grace period: killed below.
            }
        }

        bool exited = _process.HasExited;
        await KillAsync();
        return exited;
    }

    /// <summary>Kills the silo if it still runs. A second call does nothing (a caller's cleanup after an earlier dispose
    /// must not replace the error that ended its run).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        await KillAsync();
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _process.Dispose();
        }
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);

    private string ExitCode => _process.HasExited ? _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?";

    /// <summary>The <c>dotnet</c> running this process (dotnet run, dotnet test), else <c>DOTNET_HOST_PATH</c>, else <c>dotnet</c> on the PATH.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : "dotnet";

    private async Task<string> WaitHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout > TimeSpan.Zero ? timeout : TimeSpan.Zero);
        string last = "no answer yet";
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        do
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the silo exited with code {ExitCode} while {Endpoints.Health} answered: {last}");
            }

            try
            {
                using HttpResponseMessage response = await http.GetAsync(Endpoints.Health, deadline.Token);
                string body = await response.Content.ReadAsStringAsync(deadline.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return body;
                }

                last = $"{(int)response.StatusCode} {body}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }
        while (await WaitTickAsync(poll, deadline.Token));

        cancellationToken.ThrowIfCancellationRequested();
        throw new TimeoutException($"{Endpoints.Health} did not answer 200; its last answer: {last}");
    }

    private static async Task<bool> WaitTickAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > KeptLines)
            {
                _lines.Dequeue();
            }
        }

        _echo?.Invoke(line);
        if (!_started.Task.IsCompleted && SiloStartedLine.TryParse(line) is { } started)
        {
            _started.TrySetResult(started);
        }
    }
}
