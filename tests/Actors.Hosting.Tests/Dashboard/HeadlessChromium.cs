using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Actors.Hosting.Tests.Dashboard;

/// <summary>
/// Debian's Chromium, headless, driven over the Chrome DevTools Protocol (a WebSocket, no package): one page, its
/// console errors and uncaught exceptions recorded, script evaluation, element screenshots. Installs the
/// <c>chromium</c> package with apt-get when it is missing (CI runs on a clean machine); if that fails the test fails.
/// </summary>
public sealed partial class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    /// <summary>
    /// How long one DevTools command may go unanswered before the browser is taken for hung: a bound, not a speed
    /// expectation. Under the stress mode (CPU hogs on both cores, load average about 50) one element screenshot of
    /// the live dashboard took longer than the former 60 s.
    /// </summary>
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly List<string> _errors = [];
    private readonly CancellationTokenSource _closing = new();
    private TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiving = Task.CompletedTask;
    private int _nextId;
    private string _session = "";

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Console errors, failed resource loads and uncaught exceptions seen so far.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>Makes sure <see cref="ExecutablePath"/> exists, installing Debian's package if needed.</summary>
    /// <exception cref="InvalidOperationException">Chromium is missing and could not be installed.</exception>
    public static async Task EnsureInstalledAsync()
    {
        await InstallGate.WaitAsync();
        try
        {
            if (File.Exists(ExecutablePath))
            {
                return;
            }

            string log = await RunAsync("apt-get", "update") + await RunAsync("apt-get", "install", "-y", "chromium");
            if (!File.Exists(ExecutablePath))
            {
                throw new InvalidOperationException($"Chromium is needed by the dashboard tests and could not be installed (apt-get install chromium):{Environment.NewLine}{log}");
            }
        }
        finally
        {
            InstallGate.Release();
        }
    }

    /// <summary>Starts Chromium with a fresh profile and opens one blank page.</summary>
    public static async Task<HeadlessChromium> StartAsync(int width = 1400, int height = 1000)
    {
        await EnsureInstalledAsync();
        string profile = Path.Combine(Path.GetTempPath(), "actors-chromium", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var info = new ProcessStartInfo(ExecutablePath) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string flag in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--remote-debugging-port=0", $"--user-data-dir={profile}",
                     $"--window-size={width},{height}", "about:blank"])
        {
            info.ArgumentList.Add(flag);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Chromium did not start.");
        var chromium = new HeadlessChromium(process, profile);
        var endpoint = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (DevToolsLine().Match(e.Data) is { Success: true } match)
            {
                endpoint.TrySetResult(match.Groups[1].Value);
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            string url = await endpoint.Task.WaitAsync(CommandTimeout);
            await chromium._socket.ConnectAsync(new Uri(url), CancellationToken.None);
            chromium._receiving = chromium.ReceiveAsync();
            JsonObject target = await chromium.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, browserLevel: true);
            JsonObject attached = await chromium.SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true }, browserLevel: true);
            chromium._session = attached["sessionId"]!.GetValue<string>();
            await chromium.SendAsync("Page.enable");
            await chromium.SendAsync("Runtime.enable");
            await chromium.SendAsync("Log.enable");
            await chromium.SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false });
            return chromium;
        }
        catch (Exception ex) when (ex is TimeoutException or WebSocketException or InvalidOperationException)
        {
            await chromium.DisposeAsync();
            string text;
            lock (output)
            {
                text = output.ToString();
            }

            throw new InvalidOperationException($"Chromium's DevTools endpoint did not come up: {ex.Message}{Environment.NewLine}{text}", ex);
        }
    }

    /// <summary>Loads <paramref name="url"/> and waits for its load event.</summary>
    public async Task NavigateAsync(string url)
    {
        _loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        JsonObject result = await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        if (result["errorText"] is { } error)
        {
            throw new InvalidOperationException($"Navigating to {url} failed: {error}");
        }

        await _loaded.Task.WaitAsync(CommandTimeout);
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page (promises awaited) and returns its JSON value.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        JsonObject result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (result["exceptionDetails"] is { } exception)
        {
            throw new InvalidOperationException($"Evaluating '{expression}' threw: {exception.ToJsonString()}");
        }

        return result["result"]?["value"];
    }

    /// <summary>Evaluates <paramref name="condition"/> until it is true; fails after <paramref name="timeout"/> naming <paramref name="phase"/> and the last value of <paramref name="show"/>.</summary>
    public async Task WaitUntilAsync(string condition, TimeSpan timeout, string phase, string show = "document.body.innerText.slice(0, 400)")
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if ((await EvaluateAsync($"!!({condition})"))?.GetValue<bool>() == true)
            {
                return;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{phase}: '{condition}' still false after {timeout.TotalSeconds} s; {show} = {(await EvaluateAsync(show))?.ToJsonString()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Saves a PNG of the element matching <paramref name="selector"/> (the whole page when null) to <paramref name="path"/>.</summary>
    public async Task ScreenshotAsync(string? selector, string path)
    {
        string box = selector is null
            ? "JSON.stringify({x:0,y:0,width:document.documentElement.scrollWidth,height:document.documentElement.scrollHeight})"
            : $"(() => {{ const r = document.querySelector({JsonSerializer.Serialize(selector)}).getBoundingClientRect(); return JSON.stringify({{x:r.x+scrollX,y:r.y+scrollY,width:r.width,height:r.height}}); }})()";
        JsonNode rect = JsonNode.Parse((await EvaluateAsync(box))!.GetValue<string>())!;
        var clip = new JsonObject
        {
            ["x"] = rect["x"]!.GetValue<double>(),
            ["y"] = rect["y"]!.GetValue<double>(),
            ["width"] = Math.Max(1, rect["width"]!.GetValue<double>()),
            ["height"] = Math.Max(1, rect["height"]!.GetValue<double>()),
            ["scale"] = 1,
        };
        JsonObject shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["clip"] = clip, ["captureBeyondViewport"] = true });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot["data"]!.GetValue<string>()));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await SendAsync("Browser.close", browserLevel: true).WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception ex) when (ex is TimeoutException or WebSocketException or InvalidOperationException or OperationCanceledException)
        {
            // The process is killed below.
        }

        await _closing.CancelAsync();
        if (!_process.WaitForExit(10_000))
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _socket.Dispose();
        _process.Dispose();
        try
        {
            await _receiving;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection ended with the browser.
        }

        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A crash reporter may still hold a file; the directory is under /tmp.
        }

        _closing.Dispose();
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject? parameters = null, bool browserLevel = false)
    {
        int id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        if (!browserLevel)
        {
            message["sessionId"] = _session;
        }

        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        byte[] bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        lock (_socket)
        {
            _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).GetAwaiter().GetResult();
        }

        JsonObject answer;
        try
        {
            answer = await reply.Task.WaitAsync(CommandTimeout);
        }
        catch (TimeoutException ex)
        {
            _pending.TryRemove(id, out _);
            throw new TimeoutException($"Chromium left DevTools command {method} (id {id}) unanswered for {CommandTimeout.TotalMinutes} min.", ex);
        }

        if (answer["error"] is { } error)
        {
            throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}");
        }

        return answer["result"] as JsonObject ?? [];
    }

    private async Task ReceiveAsync()
    {
        byte[] buffer = new byte[1 << 20];
        var message = new MemoryStream();
        while (!_closing.IsCancellationRequested && _socket.State == WebSocketState.Open)
        {
            WebSocketReceiveResult result = await _socket.ReceiveAsync(buffer, _closing.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }

            JsonObject json = JsonNode.Parse(message.ToArray())!.AsObject();
            message.SetLength(0);
            if (json["id"] is { } id && _pending.TryRemove(id.GetValue<int>(), out TaskCompletionSource<JsonObject>? reply))
            {
                reply.TrySetResult(json);
            }
            else if (json["method"]?.GetValue<string>() is { } method)
            {
                OnEvent(method, json["params"] as JsonObject ?? []);
            }
        }
    }

    private void OnEvent(string method, JsonObject parameters)
    {
        string? error = method switch
        {
            "Page.loadEventFired" => Loaded(),
            "Runtime.exceptionThrown" => "uncaught: " + parameters["exceptionDetails"]?.ToJsonString(),
            "Runtime.consoleAPICalled" when parameters["type"]?.GetValue<string>() is "error" or "assert" => "console." + parameters["type"] + ": " + parameters["args"]?.ToJsonString(),
            "Log.entryAdded" when parameters["entry"]?["level"]?.GetValue<string>() == "error" => "log: " + parameters["entry"]?["text"] + " " + parameters["entry"]?["url"],
            _ => null,
        };
        if (error is not null)
        {
            lock (_errors)
            {
                _errors.Add(error);
            }
        }
    }

    private string? Loaded()
    {
        _loaded.TrySetResult();
        return null;
    }

    private static async Task<string> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return $"$ {file} {string.Join(' ', args)} -> exit {process.ExitCode}{Environment.NewLine}{await stdout}{await stderr}";
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsLine();
}
