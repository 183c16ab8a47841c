namespace Actors.Hosting;

/// <summary>One registered startup task: its stage and how to run it.</summary>
internal sealed record StartupTaskRegistration(int Stage, string Name, Func<IServiceProvider, CancellationToken, Task> Run);
