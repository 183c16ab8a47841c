using System.Collections.Concurrent;
using Actors.Invocation;

namespace Actors.Hosting.Tests.Gateway;

/// <summary>A silo-side invoker for <see cref="ITestGatewayGrain"/> without the runtime: executes the methods inline.</summary>
public sealed class FakeGrainInvoker : IGrainCallInvoker
{
    private readonly ConcurrentDictionary<int, TaskCompletionSource<int>> _gates = new();

    public TaskCompletionSource HangStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Calls => _calls;

    private int _calls;

    public TaskCompletionSource<int> GateFor(int value) => _gates.GetOrAdd(value, _ => new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously));

    public async ValueTask<object?> InvokeAsync(GrainCallRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        object?[] a = request.Arguments;
        switch (request.Method.Method.Name)
        {
            case nameof(ITestGatewayGrain.Add):
                return (int)a[0]! + (int)a[1]!;
            case nameof(ITestGatewayGrain.Echo):
                return a[0];
            case nameof(ITestGatewayGrain.Who):
                return request.Target.ToString();
            case nameof(ITestGatewayGrain.Fail):
                throw new InvalidOperationException((string)a[0]!);
            case nameof(ITestGatewayGrain.Hang):
                HangStarted.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return 0;
            case nameof(ITestGatewayGrain.Gate):
                return await GateFor((int)a[0]!).Task.WaitAsync(cancellationToken);
            case nameof(ITestGatewayGrain.Big):
                return new string('x', (int)a[0]!);
            case nameof(ITestGatewayGrain.Nothing):
                return null;
            default:
                throw new NotSupportedException(request.Method.Key);
        }
    }
}
