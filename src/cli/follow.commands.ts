import type { Command } from 'commander'
import type { WithHub } from './domain-block.command'

/**
 * `ioocloud-hub follow|unfollow <co-op> <target>` and `follows <co-op>`: a co-op's follows of
 * other actors (`user@host` or an actor URL), the same as `/api/v1/coops/:username/follows`.
 */
export function addFollowCommands (program: Command, withHub: WithHub, out: (line: string) => void, setExitCode: (code: number) => void): void {
  program.command('follow')
    .description('Make a co-op follow another actor; its services are listed here once it accepts')
    .argument('<co-op>', 'the following co-op\'s handle')
    .argument('<target>', 'user@host or an actor URL')
    .action(async (username: string, target: string) => {
      setExitCode(await withHub(async hub => {
        const follow = await hub.follows.follow(username.toLowerCase(), { target })
        out(`${username.toLowerCase()} follows ${follow.targetActorId} (${follow.state}); the Follow is queued.`)
      }))
    })

  program.command('unfollow')
    .description('Make a co-op stop following an actor (an Undo of the Follow is sent)')
    .argument('<co-op>', 'the following co-op\'s handle')
    .argument('<target>', 'user@host or the actor URL it follows')
    .action(async (username: string, target: string) => {
      setExitCode(await withHub(async hub => {
        const follow = await hub.follows.unfollow(username.toLowerCase(), target)
        out(`${username.toLowerCase()} no longer follows ${follow.targetActorId}.`)
      }))
    })

  program.command('follows')
    .description('List the follows a co-op sent, with their state')
    .argument('<co-op>', 'the co-op\'s handle')
    .option('--json', 'print JSON')
    .action(async (username: string, opts: { json?: boolean }) => {
      setExitCode(await withHub(async hub => {
        const follows = await hub.follows.list(username.toLowerCase())
        if (opts.json) return out(JSON.stringify({ items: follows }, null, 2))
        if (follows.length === 0) out(`${username.toLowerCase()} follows no one yet.`)
        for (const f of follows) out(`${f.targetActorId}\t${f.state}\t${f.updatedAt}`)
      }))
    })
}
