import { exec } from 'child_process';

export const Run = ({ command }: { command: string }) => {
  exec(command!);
  return <div>{command}</div>;
};
