using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Actors.Benchmarks.Serialization;
using Actors.Serialization;

// Serialize + deserialize one typical 10-field message with the Actors serializer and with System.Text.Json
// (source-generated), side by side: interleaved rounds, medians. Goals (issue 10): >= 3x faster, <= half the bytes,
// no allocation besides the results (the byte[] and the deserialized message with its strings).
// Usage: dotnet run -c Release --project tests/Benchmarks.Serialization -- [rounds] [operations-per-round]
int rounds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 15;
int operations = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200_000;

var message = new OrderMessage(
    Guid.Parse("3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b"), "ACME Corporation", 12, 1234.56m,
    new DateTime(2026, 11, 22, 10, 30, 0, DateTimeKind.Utc), true, 42, 3.75, "leave at the back door", OrderStatus.Paid);
var serializer = new Serializer();
var json = OrderJsonContext.Default.OrderMessage;

byte[] actorsBytes = serializer.SerializeToArray(message);
byte[] jsonBytes = JsonSerializer.SerializeToUtf8Bytes(message, json);
Check(serializer.Deserialize<OrderMessage>(actorsBytes) == message, "Actors round trip");
Check(JsonSerializer.Deserialize(jsonBytes, json) == message, "System.Text.Json round trip");

Console.WriteLine($"load average at start: {LoadAverage()}");
Console.WriteLine($"{Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, server GC {System.Runtime.GCSettings.IsServerGC}");
Console.WriteLine($"message size: Actors {actorsBytes.Length} B, System.Text.Json {jsonBytes.Length} B ({(double)actorsBytes.Length / jsonBytes.Length:P0})");

var runs = new (string Name, Func<OrderMessage, OrderMessage> RoundTrip)[]
{
    ("Actors", m => serializer.Deserialize<OrderMessage>(serializer.SerializeToArray(m))),
    ("System.Text.Json (source-generated)", m => JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(m, json), json)!),
};

foreach (var run in runs)
{
    Measure(run.RoundTrip, message, operations / 4); // warm-up: tiering and PGO
}

var wall = runs.Select(_ => new List<double>()).ToArray();
var cpu = runs.Select(_ => new List<double>()).ToArray();
for (int round = 0; round < rounds; round++)
{
    for (int i = 0; i < runs.Length; i++)
    {
        int index = (round % 2 == 0) ? i : runs.Length - 1 - i; // alternate the order so neither always runs first
        (double wallNs, double cpuNs) = Measure(runs[index].RoundTrip, message, operations);
        wall[index].Add(wallNs);
        cpu[index].Add(cpuNs);
    }
}

Console.WriteLine();
Console.WriteLine($"serialize + deserialize, {rounds} interleaved rounds x {operations:N0} operations, medians:");
Console.WriteLine($"{"",-38}{"wall ns/op",12}{"thread CPU ns/op",18}");
for (int i = 0; i < runs.Length; i++)
{
    Console.WriteLine($"{runs[i].Name,-38}{Median(wall[i]),12:F1}{Median(cpu[i]),18:F1}");
}

Console.WriteLine($"speed-up (thread CPU): {Median(cpu[1]) / Median(cpu[0]):F2}x   (wall: {Median(wall[1]) / Median(wall[0]):F2}x)");

// Allocations: measured per operation, compared with what the results themselves take.
long serializeAlloc = Allocated(() => serializer.SerializeToArray(message), operations);
long deserializeAlloc = Allocated(() => serializer.Deserialize<OrderMessage>(actorsBytes), operations);
long resultArray = Allocated(() => new byte[actorsBytes.Length], operations);
long resultMessage = Allocated(() => message with { Customer = new string(message.Customer.AsSpan()), Note = new string(message.Note.AsSpan()) }, operations);
long jsonAlloc = Allocated(() => JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(message, json), json), operations);
Console.WriteLine();
Console.WriteLine($"allocated bytes per operation: Actors serialize {serializeAlloc} (the byte[] result alone: {resultArray}), " +
    $"deserialize {deserializeAlloc} (the message and its two strings alone: {resultMessage}); System.Text.Json round trip {jsonAlloc}");
Console.WriteLine($"Actors allocations besides the results: {serializeAlloc - resultArray + deserializeAlloc - resultMessage} B/op");
Console.WriteLine($"load average at end: {LoadAverage()}");
return 0;

static (double WallNs, double CpuNs) Measure(Func<OrderMessage, OrderMessage> roundTrip, OrderMessage message, int operations)
{
    OrderMessage sink = message;
    long cpuStart = ThreadCpu.Nanoseconds();
    long start = Stopwatch.GetTimestamp();
    for (int i = 0; i < operations; i++)
    {
        sink = roundTrip(sink);
    }

    double wall = Stopwatch.GetElapsedTime(start).TotalNanoseconds / operations;
    double cpu = (double)(ThreadCpu.Nanoseconds() - cpuStart) / operations;
    GC.KeepAlive(sink);
    return (wall, cpu);
}

static long Allocated(Func<object?> action, int operations)
{
    action();
    long before = GC.GetAllocatedBytesForCurrentThread();
    for (int i = 0; i < operations; i++)
    {
        action();
    }

    return (GC.GetAllocatedBytesForCurrentThread() - before) / operations;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

static void Check(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException($"{what} does not reproduce the message");
    }
}
