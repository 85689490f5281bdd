using ScratchNet.Cli;

return CliApp.Run(args);
