using ScratchNet.Cli;

return RunList.IsRequested(args) ? RunList.Run(args[1]) : CliApp.Run(args);
