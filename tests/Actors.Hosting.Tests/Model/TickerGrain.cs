using Actors.Runtime;

namespace Actors.Hosting.Tests.Model;

public interface ITickerGrain : IGrainWithStringKey
{
    Task Start(TimeSpan period);

    Task Stop();

    Task<int> Ticks();
}

/// <summary>Counts the ticks of a grain timer started on request.</summary>
public sealed class TickerGrain : Grain, ITickerGrain
{
    private IGrainTimer? _timer;
    private int _ticks;

    public Task Start(TimeSpan period)
    {
        _timer?.Dispose();
        _timer = this.RegisterGrainTimer(() =>
        {
            _ticks++;
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions(period, period) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public Task Stop()
    {
        _timer?.Dispose();
        _timer = null;
        return Task.CompletedTask;
    }

    public Task<int> Ticks() => Task.FromResult(_ticks);
}
