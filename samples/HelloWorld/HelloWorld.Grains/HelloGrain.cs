using Microsoft.Extensions.Logging;
using Orleans;

namespace HelloWorld.Grains;

/// <summary>Answers greetings and logs each one.</summary>
public sealed partial class HelloGrain(ILogger<HelloGrain> logger) : Grain, IHelloGrain
{
    public ValueTask<string> SayHello(string greeting)
    {
        LogGreeting(logger, this.GetPrimaryKeyLong(), greeting);
        return ValueTask.FromResult($"Hello grain {this.GetPrimaryKeyLong()} heard \"{greeting}\" and says hello back.");
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Hello grain {GrainKey} received the greeting {Greeting}")]
    private static partial void LogGreeting(ILogger logger, long grainKey, string greeting);
}
