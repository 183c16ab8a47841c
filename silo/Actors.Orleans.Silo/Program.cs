using Actors.Orleans.Silo.Hosting;

return await SiloProgram.RunAsync(args);
