using Actors.Client;

namespace Actors.Streaming.Tests.Client;

/// <summary>Retries an idempotent client call whose connection was lost (the silo restarted under it).</summary>
internal static class Retry
{
    public static async Task OnConnectionLossAsync(Func<Task> call)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await call();
                return;
            }
            catch (GatewayConnectionLostException) when (attempt < 5)
            {
                // The client noticed the restart on this call; the next one reconnects.
            }
        }
    }
}
