using Actors.Orleans.Silo.Options;

namespace Actors.Orleans.Silo.Hosting;

/// <summary>Console logs: single-line text with UTC timestamps, or one JSON object per line (<see cref="ActorsSiloOptions.JsonConsoleLogs"/>) for container log collectors.</summary>
internal static class SiloLoggingExtensions
{
    public static ILoggingBuilder AddSiloConsole(this ILoggingBuilder logging, ActorsSiloOptions options)
    {
        logging.ClearProviders();
        if (options.JsonConsoleLogs)
        {
            logging.AddJsonConsole(json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.UseUtcTimestamp = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
            });
        }

        return logging;
    }
}
