using Actors.Wal.Tool;

return await ToolApp.RunAsync(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected).ConfigureAwait(false);
